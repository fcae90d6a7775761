using Guichet.Identity.Data;
using Guichet.Identity.Sessions;
using Guichet.Privacy.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Identity.Accounts;

/// <summary>
/// Freezes a staff account at once: it cannot sign in, every open session ends on its next
/// request, and the API keys it owns are revoked. The audit module's anomaly response calls
/// this (through the host) for the worst alerts; an administrator together with a security
/// auditor unfreezes.
/// </summary>
public interface IAccountFreezer
{
    /// <returns>False when there is no such account.</returns>
    Task<bool> FreezeAsync(string userId, string reason, AuditActor actor, CancellationToken cancellationToken = default);

    /// <returns>False when there is no such account.</returns>
    Task<bool> UnfreezeAsync(string userId, AuditActor actor, CancellationToken cancellationToken = default);
}

internal sealed class AccountFreezer(
    GuichetIdentityDbContext db,
    UserManager<GuichetUser> users,
    StaffSessions sessions,
    IdentityAudit audit,
    TimeProvider time) : IAccountFreezer
{
    public async Task<bool> FreezeAsync(string userId, string reason, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        user.FrozenAt ??= now;
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, "frozen", cancellationToken: cancellationToken);
        await db.ApiKeys.Where(k => k.OwnerUserId == user.Id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        await audit.RecordAsync("staff.freeze", AuditOutcome.Success, actor, "user", user.Id, cancellationToken: cancellationToken);
        return true;
    }

    public async Task<bool> UnfreezeAsync(string userId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return false;
        }

        user.FrozenAt = null;
        user.LockoutEnd = null;
        await users.UpdateAsync(user);
        await audit.RecordAsync("staff.unfreeze", AuditOutcome.Success, actor, "user", user.Id, cancellationToken: cancellationToken);
        return true;
    }
}
