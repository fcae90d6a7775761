using System.Security.Claims;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Identity;

/// <summary>
/// Writes this module's accountability events (identifiers only, never a secret). A change to who
/// may do what (an API key, a device) is saved with its entry in one transaction
/// (<see cref="ChangeWithEntryAsync{T}"/>, P5): both are durable or neither is.
/// </summary>
internal sealed class IdentityAudit(IAuditTrail trail, IAuditTrailInTransaction ledger, IHttpContextAccessor accessor)
{
    public ValueTask<long> RecordAsync(
        string action,
        AuditOutcome outcome,
        AuditActor? actor = null,
        string? resourceType = null,
        string? resourceId = null,
        string? branchId = null,
        CancellationToken cancellationToken = default) =>
        trail.RecordAsync(Event(action, outcome, actor, resourceType, resourceId, branchId), cancellationToken);

    /// <summary>
    /// Runs <paramref name="change"/> in a transaction on <paramref name="db"/>, writes the entry
    /// <paramref name="entryOf"/> makes of its result in the same transaction, and commits both;
    /// an <paramref name="entryOf"/> of null says the change made nothing, and nothing is written.
    /// </summary>
    /// <exception cref="AuditUnavailableException">The entry could not be written: nothing was changed.</exception>
    public async Task<T> ChangeWithEntryAsync<T>(DbContext db, Func<Task<T>> change, Func<T, AuditEvent?> entryOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(entryOf);
        AuditReceipt recorded;
        T result;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            result = await change();
            if (entryOf(result) is not { } entry)
            {
                return result;
            }

            recorded = await ledger.CommitWithEntryAsync(transaction, entry, cancellationToken);
        }

        await ledger.CommittedAsync(recorded, cancellationToken);
        return result;
    }

    /// <summary>An entry of this module: the caller's address and trace from the current request, if any.</summary>
    public AuditEvent Event(
        string action,
        AuditOutcome outcome,
        AuditActor? actor = null,
        string? resourceType = null,
        string? resourceId = null,
        string? branchId = null)
    {
        var context = accessor.HttpContext;
        return new AuditEvent(
            action,
            actor ?? ActorOf(context?.User),
            outcome,
            resourceType,
            resourceId,
            ClientAddress: context?.Connection.RemoteIpAddress?.ToString(),
            CorrelationId: context?.TraceIdentifier,
            BranchId: branchId);
    }

    public static AuditActor Staff(string userId) => new(AuditActorKind.Staff, userId);

    public static AuditActor ActorOf(ClaimsPrincipal? user)
    {
        var id = user?.FindFirst(GuichetClaimTypes.ActorId)?.Value;
        return (user?.FindFirst(GuichetClaimTypes.ActorKind)?.Value, id) switch
        {
            (ActorKinds.Staff, not null) => new AuditActor(AuditActorKind.Staff, id),
            (ActorKinds.Device, not null) => new AuditActor(AuditActorKind.Device, id),
            (ActorKinds.ApiClient, not null) => new AuditActor(AuditActorKind.ApiClient, id),
            _ => new AuditActor(AuditActorKind.Anonymous, "anonymous"),
        };
    }
}

/// <summary>Values of the <c>guichet:actor</c> claim.</summary>
public static class ActorKinds
{
    public const string Staff = "staff";
    public const string Device = "device";
    public const string ApiClient = "api-client";
}

/// <summary>Stands in until the audit module registers the ledger.</summary>
internal sealed class NoOpAuditTrail : IAuditTrail
{
    public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) => ValueTask.FromResult(0L);
}
