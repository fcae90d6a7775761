using Guichet.Audit.Storage;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Response;

public enum AlertState
{
    Open,
    Acknowledged,
    Resolved,
}

public enum UnfreezeDecision
{
    /// <summary>The approval is recorded; the other role's approval is still needed.</summary>
    Pending,

    /// <summary>Both approvals are in: the account is unfrozen.</summary>
    Released,

    /// <summary>Wrong role, the frozen person themselves, or the same person approving twice.</summary>
    Refused,

    /// <summary>The actor is not frozen.</summary>
    NotFrozen,
}

/// <summary>An alert as the security auditors' pages list it.</summary>
public sealed record AlertView(Guid Id, string Rule, string Severity, string ActorKind, string ActorId, IReadOnlyList<long> Evidence, string Response, AlertState State, DateTimeOffset RaisedAt);

/// <summary>An actor frozen and not yet released, with the approvals collected so far.</summary>
public sealed record FreezeView(Guid Id, string ActorKind, string ActorId, Guid? AlertId, DateTimeOffset FrozenAt, string? AuditorApproval, string? AdministratorApproval);

/// <summary>
/// What security auditors and administrators do with alerts and freezes. The host checks the
/// caller's permissions and passes the caller's role; every call lands in the ledger.
/// </summary>
public interface IAlertDesk
{
    Task<IReadOnlyList<AlertView>> ListAsync(AlertState? state, int take, CancellationToken cancellationToken);

    Task<bool> SetStateAsync(Guid alertId, AlertState state, AuditActor by, CancellationToken cancellationToken);

    /// <summary>
    /// One of the two approvals an unfreeze needs: a security auditor's and an
    /// administrator's, from two different people, neither of them the frozen actor.
    /// </summary>
    Task<UnfreezeDecision> ApproveUnfreezeAsync(string frozenActorId, AuditActor approver, StaffRole approverRole, CancellationToken cancellationToken);

    /// <summary>Freezes in force, newest first.</summary>
    Task<IReadOnlyList<FreezeView>> ListFreezesAsync(int take, CancellationToken cancellationToken);
}

internal sealed class AlertDesk(AuditStore store, IServiceProvider services, IServiceScopeFactory scopes, TimeProvider time) : IAlertDesk
{
    public async Task<IReadOnlyList<AlertView>> ListAsync(AlertState? state, int take, CancellationToken cancellationToken)
    {
        await using var db = store.CreateContext();
        var query = db.Alerts.AsNoTracking();
        if (state is { } wanted)
        {
            var name = wanted.ToString();
            query = query.Where(a => a.State == name);
        }

        var rows = await query.OrderByDescending(a => a.RaisedAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return [.. rows.Select(a => new AlertView(
            a.Id, a.Rule, a.Severity, a.ActorKind, a.ActorId,
            [.. a.Evidence.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse)],
            a.Response, Enum.Parse<AlertState>(a.State), new DateTimeOffset(a.RaisedAt, TimeSpan.Zero)))];
    }

    public async Task<bool> SetStateAsync(Guid alertId, AlertState state, AuditActor by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var db = store.CreateContext();
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken);
        if (alert is null)
        {
            return false;
        }

        // Recorded before the change is saved: an unrecorded handling never happens.
        await Trail.RecordAsync(new AuditEvent($"alert.{state.ToString().ToLowerInvariant()}", by, AuditOutcome.Success, "alert", alertId.ToString("N")), cancellationToken);
        alert.State = state.ToString();
        alert.HandledBy = by.Id;
        alert.HandledAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<UnfreezeDecision> ApproveUnfreezeAsync(string frozenActorId, AuditActor approver, StaffRole approverRole, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(frozenActorId);
        ArgumentNullException.ThrowIfNull(approver);
        await using var db = store.CreateContext();
        var freeze = await db.Freezes.Where(f => f.ActorId == frozenActorId && f.ReleasedAt == null)
            .OrderByDescending(f => f.FrozenAt).FirstOrDefaultAsync(cancellationToken);
        if (freeze is null)
        {
            return UnfreezeDecision.NotFrozen;
        }

        var refused = approver.Id == frozenActorId
            || approverRole is not (StaffRole.SecurityAuditor or StaffRole.Administrator)
            || (approverRole == StaffRole.SecurityAuditor ? freeze.AdministratorApproval : freeze.AuditorApproval) == approver.Id;
        await Trail.RecordAsync(new AuditEvent("account.unfreeze.approve", approver, refused ? AuditOutcome.Denied : AuditOutcome.Success, "actor", frozenActorId, CorrelationId: freeze.Id.ToString("N")), cancellationToken);
        if (refused)
        {
            return UnfreezeDecision.Refused;
        }

        if (approverRole == StaffRole.SecurityAuditor)
        {
            freeze.AuditorApproval = approver.Id;
        }
        else
        {
            freeze.AdministratorApproval = approver.Id;
        }

        if (freeze.AuditorApproval is null || freeze.AdministratorApproval is null)
        {
            await db.SaveChangesAsync(cancellationToken);
            return UnfreezeDecision.Pending;
        }

        await Trail.RecordAsync(new AuditEvent("account.unfreeze", approver, AuditOutcome.Success, "actor", frozenActorId, CorrelationId: freeze.Id.ToString("N")), cancellationToken);
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IAccountFreezer>().UnfreezeAsync(frozenActorId, approver, cancellationToken);
        }

        var releasedAt = time.GetUtcNow().UtcDateTime;
        freeze.ReleasedAt = releasedAt;
        await db.SaveChangesAsync(cancellationToken);
        // Other open freezes of the same actor (several rules can fire) end with this one.
        await db.Freezes.Where(f => f.ActorId == frozenActorId && f.ReleasedAt == null)
            .ExecuteUpdateAsync(f => f.SetProperty(r => r.ReleasedAt, releasedAt), cancellationToken);
        return UnfreezeDecision.Released;
    }

    public async Task<IReadOnlyList<FreezeView>> ListFreezesAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = store.CreateContext();
        var rows = await db.Freezes.AsNoTracking().Where(f => f.ReleasedAt == null)
            .OrderByDescending(f => f.FrozenAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return [.. rows.Select(f => new FreezeView(f.Id, f.ActorKind, f.ActorId, f.AlertId, new DateTimeOffset(f.FrozenAt, TimeSpan.Zero), f.AuditorApproval, f.AdministratorApproval))];
    }

    private IAuditTrail Trail => services.GetRequiredService<IAuditTrail>();
}
