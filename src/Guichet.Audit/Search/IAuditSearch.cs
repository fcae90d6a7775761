using Guichet.Audit.Storage;
using Guichet.Audit.Verification;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Search;

/// <summary>Filters for the auditors' ledger search; every filter is optional. Newest first, paged by sequence.</summary>
public sealed record AuditQuery(
    string? ActorId = null,
    string? Action = null,
    string? ResourceType = null,
    string? ResourceId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? BeforeSequence = null,
    int Take = 100);

/// <summary>One ledger entry as the auditors' pages show it.</summary>
public sealed record AuditEntryView(
    long Sequence,
    DateTimeOffset OccurredAt,
    string ActorKind,
    string ActorId,
    string Action,
    string? ResourceType,
    string? ResourceId,
    string? Purpose,
    string Outcome,
    string? ClientAddress,
    string? CorrelationId,
    string? BranchId);

/// <summary>
/// What the security auditors' pages read: search, a customer's access history ("who saw this
/// customer's data, when, why") and the chain's state. Each read is itself recorded, with the
/// reader as actor. The host checks the reader's permission before calling.
/// </summary>
public interface IAuditSearch
{
    Task<IReadOnlyList<AuditEntryView>> SearchAsync(AuditQuery query, AuditActor reader, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntryView>> CustomerAccessHistoryAsync(string customerId, AuditActor reader, int take, CancellationToken cancellationToken);

    Task<LedgerVerdict> VerifyChainAsync(AuditActor reader, CancellationToken cancellationToken);

    /// <summary>The latest signed checkpoints, newest first (sequence, hash, time, key id; nothing personal, so not recorded).</summary>
    Task<IReadOnlyList<CheckpointView>> CheckpointsAsync(int take, CancellationToken cancellationToken);
}

/// <summary>One signed checkpoint as the chain-state page shows it.</summary>
public sealed record CheckpointView(long Sequence, string HashHex, DateTimeOffset CreatedAt, string KeyId);

internal sealed class AuditSearch(AuditStore store, IServiceProvider services) : IAuditSearch
{
    private const int MaxTake = 500;

    public async Task<IReadOnlyList<AuditEntryView>> SearchAsync(AuditQuery query, AuditActor reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await RecordAsync("ledger.search", reader, null, cancellationToken);
        await using var db = store.CreateContext();
        var entries = db.Entries.AsNoTracking();
        if (query.ActorId is { } actor)
        {
            entries = entries.Where(e => e.ActorId == actor);
        }

        if (query.Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }

        if (query.ResourceType is { } type)
        {
            entries = entries.Where(e => e.ResourceType == type);
        }

        if (query.ResourceId is { } id)
        {
            entries = entries.Where(e => e.ResourceId == id);
        }

        if (query.From is { } from)
        {
            var start = from.UtcDateTime;
            entries = entries.Where(e => e.OccurredAt >= start);
        }

        if (query.To is { } to)
        {
            var end = to.UtcDateTime;
            entries = entries.Where(e => e.OccurredAt < end);
        }

        if (query.BeforeSequence is { } before)
        {
            entries = entries.Where(e => e.Sequence < before);
        }

        var rows = await entries.OrderByDescending(e => e.Sequence).Take(Math.Clamp(query.Take, 1, MaxTake)).ToListAsync(cancellationToken);
        return [.. rows.Select(ToView)];
    }

    public async Task<IReadOnlyList<AuditEntryView>> CustomerAccessHistoryAsync(string customerId, AuditActor reader, int take, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        await RecordAsync("ledger.customer-history", reader, customerId, cancellationToken);
        await using var db = store.CreateContext();
        var rows = await db.Entries.AsNoTracking()
            .Where(e => e.ResourceType == "customer" && e.ResourceId == customerId)
            .OrderByDescending(e => e.Sequence)
            .Take(Math.Clamp(take, 1, MaxTake))
            .ToListAsync(cancellationToken);
        return [.. rows.Select(ToView)];
    }

    public async Task<LedgerVerdict> VerifyChainAsync(AuditActor reader, CancellationToken cancellationToken)
    {
        await RecordAsync("ledger.verify", reader, null, cancellationToken);
        return await services.GetRequiredService<LedgerVerifier>().VerifyAsync(null, cancellationToken);
    }

    public async Task<IReadOnlyList<CheckpointView>> CheckpointsAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = store.CreateContext();
        var rows = await db.Checkpoints.AsNoTracking().OrderByDescending(c => c.Sequence).Take(Math.Clamp(take, 1, MaxTake)).ToListAsync(cancellationToken);
        return [.. rows.Select(c => new CheckpointView(c.Sequence, Convert.ToHexStringLower(c.Hash), new DateTimeOffset(c.CreatedAt, TimeSpan.Zero), c.KeyId))];
    }

    private async Task RecordAsync(string action, AuditActor reader, string? customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        await services.GetRequiredService<IAuditTrail>().RecordAsync(
            new AuditEvent(action, reader, AuditOutcome.Success, customerId is null ? "ledger" : "customer-history", customerId),
            cancellationToken);
    }

    private static AuditEntryView ToView(LedgerEntry e) => new(
        e.Sequence,
        new DateTimeOffset(e.OccurredAt, TimeSpan.Zero),
        e.ActorKind,
        e.ActorId,
        e.Action,
        e.ResourceType,
        e.ResourceId,
        e.Purpose,
        e.Outcome,
        e.ClientAddress,
        e.CorrelationId,
        e.BranchId);
}
