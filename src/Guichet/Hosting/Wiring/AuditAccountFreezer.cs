using Guichet.Identity.ApiKeys;
using Guichet.Identity.Data;
using Guichet.Identity.Devices;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using AccountFreezer = Guichet.Identity.Accounts.IAccountFreezer;

namespace Guichet.Hosting.Wiring;

/// <summary>
/// The audit module's freeze, carried out by Identity. The actor id in a ledger entry is a
/// staff account, an API key or an enrolled device: a staff account is frozen (disabled,
/// sessions ended, its API keys revoked); an API key is revoked and its owner, if it has one,
/// frozen as above; a device is revoked. Each takes effect on the actor's next request.
/// </summary>
internal sealed class AuditAccountFreezer(
    AccountFreezer accounts,
    GuichetIdentityDbContext db,
    ApiKeyRegistry apiKeys,
    DeviceRegistry devices) : Audit.Response.IAccountFreezer
{
    public async Task<bool> FreezeAsync(string userId, string reason, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (await accounts.FreezeAsync(userId, reason, actor, cancellationToken))
        {
            return true;
        }

        if (!Guid.TryParse(userId, out var id))
        {
            return false;
        }

        var owner = await db.ApiKeys.AsNoTracking().Where(k => k.Id == id).Select(k => new { k.OwnerUserId }).FirstOrDefaultAsync(cancellationToken);
        if (owner is not null)
        {
            await apiKeys.RevokeAsync(id, actor, cancellationToken);
            if (owner.OwnerUserId is { } ownerId)
            {
                await accounts.FreezeAsync(ownerId, reason, actor, cancellationToken);
            }

            return true;
        }

        return await db.Devices.AnyAsync(d => d.Id == id, cancellationToken)
            && await devices.RevokeAsync(id, actor, cancellationToken);
    }

    public async Task<bool> UnfreezeAsync(string userId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (await accounts.UnfreezeAsync(userId, actor, cancellationToken))
        {
            return true;
        }

        // A revoked key or device stays revoked (a new one is issued); the key's owner is released.
        if (Guid.TryParse(userId, out var id)
            && await db.ApiKeys.AsNoTracking().Where(k => k.Id == id).Select(k => k.OwnerUserId).FirstOrDefaultAsync(cancellationToken) is { } ownerId)
        {
            return await accounts.UnfreezeAsync(ownerId, actor, cancellationToken);
        }

        return false;
    }
}
