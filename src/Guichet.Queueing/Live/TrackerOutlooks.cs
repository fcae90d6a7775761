using System.Collections.Concurrent;
using System.Diagnostics;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Guichet.Queueing.Live;

/// <summary>
/// Shares a service's outlook (branch, service, the wait estimate's inputs) among every live
/// tracker of that service: a thousand trackers refreshing once a second read it about four
/// times a second per service instead of a thousand. A read is shared for a quarter of the
/// live refresh interval, the bound within which trackers already show others' changes; a
/// tracker's own ticket is always read fresh.
/// </summary>
internal sealed class TrackerOutlooks(IServiceScopeFactory scopes, WaitEstimator estimator, TimeProvider time, IOptions<QueueingOptions> options)
{
    private readonly ConcurrentDictionary<Guid, Shared> outlooks = new();

    // Sharing is about server load, not the hall's clock: real elapsed time, as the streams' pacing.
    private TimeSpan MaxAge => options.Value.LiveRefreshInterval / 4;

    /// <summary>The service's outlook, read at most <see cref="MaxAge"/> ago; null when there is no such service.</summary>
    public Task<ServiceOutlook?> GetAsync(Guid serviceId)
    {
        while (true)
        {
            if (outlooks.TryGetValue(serviceId, out var current) && current.IsFresh(MaxAge))
            {
                return current.Outlook.Value;
            }

            var next = new Shared(Stopwatch.GetTimestamp(), new(() => ReadAsync(serviceId)));
            var won = current is null ? outlooks.TryAdd(serviceId, next) : outlooks.TryUpdate(serviceId, next, current);
            if (won)
            {
                return next.Outlook.Value;
            }
        }
    }

    // Not tied to the tracker that asked first: if it goes away, the others still get the read.
    private async Task<ServiceOutlook?> ReadAsync(Guid serviceId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QueueingDbContext>();
        return await estimator.OutlookAsync(db, serviceId, time.GetUtcNow().UtcDateTime, CancellationToken.None);
    }

    private sealed record Shared(long ReadAt, Lazy<Task<ServiceOutlook?>> Outlook)
    {
        // A failed read is not shared: the next tracker tries again.
        public bool IsFresh(TimeSpan maxAge) =>
            Stopwatch.GetElapsedTime(ReadAt) < maxAge && !(Outlook.IsValueCreated && Outlook.Value.IsFaulted);
    }
}
