using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Guichet.Queueing.Api;

/// <summary>
/// Ticket creation is limited per client address: every request counts against a per-minute
/// window (kiosks), and online tickets also against a stricter per-hour window, since a phone's
/// browser is a stranger where a kiosk is the branch's own device.
/// </summary>
internal sealed class TicketRateLimitPolicy(IOptions<QueueingOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "queue.tickets";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } =
        static (context, cancellationToken) => new(ApiResults.TooManyRequests().ExecuteAsync(context.HttpContext));

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var perMinute = options.Value.KioskTicketsPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter(
            ClientAddress(httpContext),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    public static string ClientAddress(HttpContext httpContext) =>
        httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

/// <summary>The stricter per-hour window for the online channel.</summary>
internal sealed class OnlineTicketLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public OnlineTicketLimiter(IOptions<QueueingOptions> options)
    {
        var perHour = options.Value.OnlineTicketsPerHour;
        limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address, _ => new FixedWindowRateLimiterOptions { PermitLimit = perHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
    }

    public bool TryAcquire(string clientAddress)
    {
        using var lease = limiter.AttemptAcquire(clientAddress);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
