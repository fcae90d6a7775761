using Guichet.Identity.Access;
using Guichet.Identity.Accounts;
using Guichet.Identity.Data;
using Guichet.Identity.Devices;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.ApiKeys;

internal sealed record IssuedApiKey(Guid Id, string Key, DateTimeOffset ExpiresAt);

/// <summary>
/// API keys for integrations: <c>gk_&lt;id&gt;_&lt;secret&gt;</c>, shown once, stored as a hash,
/// scoped to one role and one branch, expiring, revocable.
/// </summary>
internal sealed class ApiKeyRegistry(GuichetIdentityDbContext db, TimeProvider time, IOptionsMonitor<GuichetIdentityOptions> options, IdentityAudit audit)
{
    public const string KeyPrefix = "gk_";
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // Compiled: every API call authenticates its key with it.
    private static readonly CompiledQuery<Func<GuichetIdentityDbContext, Guid, CancellationToken, Task<ApiClientKey?>>> KeyQuery = new(() =>
        EF.CompileAsyncQuery((GuichetIdentityDbContext db, Guid id, CancellationToken _) => db.ApiKeys.AsNoTracking().FirstOrDefault(k => k.Id == id)));

    public async Task<IssuedApiKey> CreateAsync(string name, StaffRole role, string branchId, TimeSpan? lifetime, AuditActor actor, string? ownerUserId = null, CancellationToken cancellationToken = default)
    {
        if (!Permissions.ApiKeyRoles.Contains(role))
        {
            throw new ArgumentException("API keys cannot carry this role.", nameof(role));
        }

        var now = time.GetUtcNow();
        var secret = Secrets.New();
        var row = new ApiClientKey
        {
            Id = Guid.NewGuid(),
            Name = name,
            Role = role,
            BranchId = branchId,
            SecretHash = Secrets.Hash(secret),
            CreatedAt = now,
            ExpiresAt = now + (lifetime ?? options.CurrentValue.ApiKeyLifetime),
            OwnerUserId = ownerUserId,
        };
        db.ApiKeys.Add(row);
        await audit.ChangeWithEntryAsync(
            db,
            () => db.SaveChangesAsync(cancellationToken),
            _ => audit.Event("apikey.create", AuditOutcome.Success, actor, "apikey", row.Id.ToString(), branchId),
            cancellationToken);
        return new IssuedApiKey(row.Id, $"{KeyPrefix}{row.Id:N}_{secret}", row.ExpiresAt);
    }

    public async Task<ApiClientKey?> AuthenticateAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!DeviceRegistry.TryParse(presented, KeyPrefix, out var id, out var secret))
        {
            return null;
        }

        var key = await KeyQuery.For(db)(db, id, cancellationToken);
        var now = time.GetUtcNow();
        if (key is null || key.RevokedAt is not null || key.ExpiresAt <= now || !Secrets.Matches(secret, key.SecretHash))
        {
            return null;
        }

        if (key.LastUsedAt is null || now - key.LastUsedAt >= LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return key;
    }

    public async Task<bool> RevokeAsync(Guid id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var revoked = await audit.ChangeWithEntryAsync(
            db,
            () => db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken),
            count => audit.Event("apikey.revoke", count == 1 ? AuditOutcome.Success : AuditOutcome.Failure, actor, "apikey", id.ToString()),
            cancellationToken);
        return revoked == 1;
    }

    public async Task<IReadOnlyList<ApiClientKey>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(cancellationToken);
}
