using Guichet.Identity.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.SignIn;

/// <summary>
/// Counts failed sign-in and second-factor attempts per account and per client address, and
/// locks with a growing delay. Every attempt is counted <em>before</em> the secret is checked,
/// inside a write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: row lock), so parallel
/// attempts are serialised and none can slip past the count; a success then gives the
/// reservation back.
/// </summary>
internal sealed class SignInThrottleService(GuichetIdentityDbContext db, TimeProvider time, IOptionsMonitor<GuichetIdentityOptions> options)
{
    public static string AccountKey(string normalizedName) => "account:" + normalizedName;

    public static string SecondFactorKey(string normalizedName) => "second-factor:" + normalizedName;

    public static string AddressKey(string? address) => "address:" + (address ?? "unknown");

    /// <summary>Reserves one attempt; false when the account or the address is locked.</summary>
    public async Task<bool> TryBeginAttemptAsync(string accountKey, string addressKey, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var account = await LoadForUpdateAsync(accountKey, now, cancellationToken);
        var address = await LoadForUpdateAsync(addressKey, now, cancellationToken);
        var allowed = true;
        foreach (var row in new[] { account, address })
        {
            if (now - row.LastFailureAt > settings.FailureWindow)
            {
                row.Failures = 0;
                row.LockedUntil = null;
            }

            if (row.LockedUntil > now)
            {
                allowed = false;
            }
        }

        if (allowed)
        {
            Count(account, settings.AccountFailureThreshold, now, settings);
            Count(address, settings.AddressFailureThreshold, now, settings);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // Later steps of the same request read fresh rows (other requests change them).
        foreach (var entry in db.ChangeTracker.Entries<SignInThrottle>().ToList())
        {
            entry.State = EntityState.Detached;
        }

        return allowed;
    }

    /// <summary>The sign-in succeeded: the account's counters start afresh, the address gets its reservation back.</summary>
    public async Task SucceededAsync(string accountKey, string addressKey, CancellationToken cancellationToken, string? secondFactorKey = null)
    {
        await db.SignInThrottles.Where(t => t.Key == accountKey || t.Key == secondFactorKey)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Failures, 0).SetProperty(t => t.LockedUntil, (DateTimeOffset?)null), cancellationToken);
        await db.SignInThrottles.Where(t => t.Key == addressKey && t.Failures > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Failures, t => t.Failures - 1), cancellationToken);
    }

    /// <summary>
    /// The password was right and the second factor comes next (counted under its own key):
    /// the account stays counted until the second factor succeeds too; the address gets its
    /// reservation back.
    /// </summary>
    public Task PasswordSucceededAsync(string addressKey, CancellationToken cancellationToken) =>
        db.SignInThrottles.Where(t => t.Key == addressKey && t.Failures > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Failures, t => t.Failures - 1), cancellationToken);

    /// <summary>Whether the account is locked now (for the audit trail's lockout events).</summary>
    public async Task<bool> IsLockedAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await db.SignInThrottles.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        return row?.LockedUntil > now;
    }

    private static void Count(SignInThrottle row, int threshold, DateTimeOffset now, GuichetIdentityOptions settings)
    {
        row.Failures++;
        row.LastFailureAt = now;
        if (row.Failures >= threshold)
        {
            // 1st lock: base; each further failure doubles, up to the maximum.
            var doublings = Math.Min(row.Failures - threshold, 20);
            var delay = TimeSpan.FromTicks(Math.Min(settings.LockoutBase.Ticks * (1L << doublings), settings.LockoutMax.Ticks));
            row.LockedUntil = now + delay;
        }
    }

    private async Task<SignInThrottle> LoadForUpdateAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db is PostgresIdentityDbContext)
        {
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "GuichetSignInThrottles" ("Key", "Failures", "LastFailureAt") VALUES ({key}, 0, {now}) ON CONFLICT ("Key") DO NOTHING""",
                cancellationToken);
            await db.Database.ExecuteSqlAsync(
                $"""SELECT 1 FROM "GuichetSignInThrottles" WHERE "Key" = {key} FOR UPDATE""", cancellationToken);
        }

        var row = await db.SignInThrottles.FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        if (row is null)
        {
            row = new SignInThrottle { Key = key, LastFailureAt = now };
            db.SignInThrottles.Add(row);
        }

        return row;
    }
}
