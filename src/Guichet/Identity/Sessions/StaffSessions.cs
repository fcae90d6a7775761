using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Guichet.Identity.Access;
using Guichet.Identity.Data;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.Sessions;

/// <summary>
/// Staff sessions: one row per sign-in, checked on every request, so that idle and absolute
/// timeouts, "sign out everywhere" and an account freeze take effect at once.
/// </summary>
internal sealed class StaffSessions(GuichetIdentityDbContext db, TimeProvider time, IOptionsMonitor<GuichetIdentityOptions> options, IdentityAudit audit)
{
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public async Task<StaffSession> StartAsync(GuichetUser user, string method, HttpContext? context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var session = new StaffSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            UserId = user.Id,
            CreatedAt = now,
            LastSeenAt = now,
            SecondFactorAt = now,
            Method = method,
            ClientAddress = context?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(context?.Request.Headers.UserAgent.ToString(), 256),
        };
        db.StaffSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync("auth.signin", AuditOutcome.Success, IdentityAudit.Staff(user.Id), "session", session.Id, cancellationToken: cancellationToken);
        return session;
    }

    public Task<StaffSession?> FindActiveAsync(string sessionId, string userId, CancellationToken cancellationToken = default) =>
        db.StaffSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null, cancellationToken);

    /// <summary>True while the principal's session is open and within its idle and absolute limits.</summary>
    public async Task<bool> ValidateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var sessionId = principal.FindFirst(IdentityClaimTypes.Session)?.Value;
        var userId = principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (sessionId is null || userId is null)
        {
            return false;
        }

        var session = await FindActiveAsync(sessionId, userId, cancellationToken);
        if (session is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        var reason = now - session.LastSeenAt > settings.IdleTimeout ? "idle"
            : now - session.CreatedAt > settings.AbsoluteTimeout ? "absolute"
            : null;
        if (reason is not null)
        {
            await EndAsync(sessionId, reason, cancellationToken);
            return false;
        }

        if (now - session.LastSeenAt >= LastSeenResolution)
        {
            await db.StaffSessions.Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
        }

        return true;
    }

    public async Task StepUpAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await db.StaffSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.SecondFactorAt, now).SetProperty(x => x.LastSeenAt, now), cancellationToken);
    }

    public async Task EndAsync(string sessionId, string reason, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var ended = await db.StaffSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);
        if (ended > 0)
        {
            await audit.RecordAsync("auth.session.end", AuditOutcome.Success, resourceType: "session", resourceId: sessionId, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Ends every open session of a user except <paramref name="keepSessionId"/>.</summary>
    public async Task<int> EndAllAsync(string userId, string reason, string? keepSessionId = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var ended = await db.StaffSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keepSessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);
        await audit.RecordAsync("auth.session.end-all", AuditOutcome.Success, resourceType: "user", resourceId: userId, cancellationToken: cancellationToken);
        return ended;
    }

    public async Task<IReadOnlyList<StaffSession>> ListAsync(string userId, int count, CancellationToken cancellationToken = default) =>
        await db.StaffSessions.AsNoTracking().Where(s => s.UserId == userId)
            .OrderByDescending(s => s.CreatedAt).Take(count).ToListAsync(cancellationToken);

    public static string SecondFactorClaimValue(DateTimeOffset instant) =>
        instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
