using Guichet.Identity.Accounts;
using Guichet.Identity.Data;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.Devices;

internal sealed record DeviceEnrolment(Guid DeviceId, string Credential, string BranchId, DeviceKind Kind);

/// <summary>
/// Kiosks and display boards: an administrator creates a one-time code for a branch; the
/// device exchanges it for a long-lived credential (<c>gd_&lt;id&gt;_&lt;secret&gt;</c>), of
/// which only a hash is kept. Credentials are revocable and show when they were last used.
/// </summary>
internal sealed class DeviceRegistry(GuichetIdentityDbContext db, TimeProvider time, IOptionsMonitor<GuichetIdentityOptions> options, IdentityAudit audit)
{
    public const string CredentialPrefix = "gd_";
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public async Task<string> CreateEnrolmentCodeAsync(string branchId, DeviceKind kind, string name, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var code = Secrets.New(15);
        var row = new DeviceEnrolmentCode
        {
            Id = Guid.NewGuid(),
            Name = name,
            BranchId = branchId,
            Kind = kind,
            CodeHash = Secrets.Hash(code),
            CreatedAt = now,
            ExpiresAt = now + options.CurrentValue.DeviceCodeLifetime,
        };
        db.DeviceEnrolmentCodes.Add(row);
        await audit.ChangeWithEntryAsync(
            db,
            () => db.SaveChangesAsync(cancellationToken),
            _ => audit.Event("device.code.issue", AuditOutcome.Success, actor, "device-code", row.Id.ToString(), branchId),
            cancellationToken);
        return code;
    }

    /// <summary>Exchanges a one-time code for a credential; null when the code is unknown, used or expired.</summary>
    public async Task<DeviceEnrolment?> EnrolAsync(string? code, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        DeviceEnrolmentCode? row = null;
        if (!string.IsNullOrWhiteSpace(code) && code.Length <= 64)
        {
            var hash = Secrets.Hash(code.Trim());
            row = await db.DeviceEnrolmentCodes.AsNoTracking().FirstOrDefaultAsync(c => c.CodeHash == hash, cancellationToken);
        }

        // The code's use, the device and its ledger entry commit together: a code is never
        // spent on a device that was not made.
        var device = new EnrolledDevice { Id = Guid.NewGuid() };
        var secret = Secrets.New();
        var enrolled = row is not null && row.ExpiresAt > now && await audit.ChangeWithEntryAsync(
            db,
            async () =>
            {
                var consumed = await db.DeviceEnrolmentCodes
                    .Where(c => c.Id == row.Id && c.UsedAt == null && c.ExpiresAt > now)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now).SetProperty(c => c.DeviceId, device.Id), cancellationToken) == 1;
                if (consumed)
                {
                    device.Name = row.Name;
                    device.BranchId = row.BranchId;
                    device.Kind = row.Kind;
                    device.CreatedAt = now;
                    device.LastSeenAt = now;
                    device.CredentialHash = Secrets.Hash(secret);
                    db.Devices.Add(device);
                    await db.SaveChangesAsync(cancellationToken);
                }

                return consumed;
            },
            consumed => consumed ? audit.Event("device.enrol", AuditOutcome.Success, new AuditActor(AuditActorKind.Device, device.Id.ToString()), "device", device.Id.ToString(), device.BranchId) : null,
            cancellationToken);
        if (!enrolled)
        {
            await audit.RecordAsync("device.enrol", AuditOutcome.Failure, resourceType: "device-code", resourceId: row?.Id.ToString(), branchId: row?.BranchId, cancellationToken: cancellationToken);
            return null;
        }

        return new DeviceEnrolment(device.Id, $"{CredentialPrefix}{device.Id:N}_{secret}", device.BranchId, device.Kind);
    }

    /// <summary>The device a credential belongs to, if it is well-formed, matches and is not revoked.</summary>
    public async Task<EnrolledDevice?> AuthenticateAsync(string credential, CancellationToken cancellationToken = default)
    {
        if (!TryParse(credential, CredentialPrefix, out var id, out var secret))
        {
            return null;
        }

        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (device is null || device.RevokedAt is not null || !Secrets.Matches(secret, device.CredentialHash))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (device.LastSeenAt is null || now - device.LastSeenAt >= LastSeenResolution)
        {
            await db.Devices.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenAt, now), cancellationToken);
        }

        return device;
    }

    public async Task<bool> RevokeAsync(Guid id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var revoked = await audit.ChangeWithEntryAsync(
            db,
            () => db.Devices.Where(d => d.Id == id && d.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, now), cancellationToken),
            count => audit.Event("device.revoke", count == 1 ? AuditOutcome.Success : AuditOutcome.Failure, actor, "device", id.ToString()),
            cancellationToken);
        return revoked == 1;
    }

    public async Task<IReadOnlyList<EnrolledDevice>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Devices.AsNoTracking().OrderBy(d => d.BranchId).ThenBy(d => d.Name).ToListAsync(cancellationToken);

    /// <summary>Parses <c>prefix + 32 hex id + '_' + secret</c>.</summary>
    public static bool TryParse(string? value, string prefix, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = "";
        if (value is null || value.Length > 200 || !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = value.AsSpan(prefix.Length);
        if (rest.Length < 34 || rest[32] != '_' || !Guid.TryParseExact(rest[..32], "N", out id))
        {
            return false;
        }

        secret = rest[33..].ToString();
        return secret.Length >= 16;
    }
}
