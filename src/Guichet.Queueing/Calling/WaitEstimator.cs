using Guichet.Privacy.Storage;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guichet.Queueing.Calling;

/// <summary>
/// Estimated wait = ceil(people ahead × minutes per service ÷ open counters), where minutes per
/// service is the median of the service's last completed services today (start → complete),
/// or the service's default minutes until there are enough of them, and open counters are the
/// unpaused counters serving it (at least one). docs/queue.md explains the choice.
/// </summary>
internal sealed class WaitEstimator(IOptions<QueueingOptions> options)
{
    // Compiled: read for every batch of new tickets and shared by a service's live trackers.
    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, DateTime, int, IAsyncEnumerable<ServiceSpan>>> RecentServicesQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid serviceId, DateTime dayStart, int sampleSize) => db.Tickets.AsNoTracking()
            .Where(t => t.ServiceId == serviceId && t.Status == TicketStatus.Done && t.FinishedAt >= dayStart && t.StartedAt != null)
            .OrderByDescending(t => t.FinishedAt)
            .Take(sampleSize)
            .Select(t => new ServiceSpan(t.StartedAt!.Value, t.FinishedAt!.Value))));

    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, CancellationToken, Task<int>>> OpenCountersQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid serviceId, CancellationToken _) => db.Counters
            .Count(c => !c.IsPaused && c.Services.Any(s => s.ServiceId == serviceId))));

    public static int Estimate(int peopleAhead, double minutesPerService, int openCounters) =>
        peopleAhead <= 0 ? 0 : (int)Math.Ceiling(peopleAhead * minutesPerService / Math.Max(1, openCounters));

    public static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    public async Task<int> EstimateAsync(QueueingDbContext db, Branch branch, Service service, int peopleAhead, DateTime now, CancellationToken cancellationToken)
    {
        if (peopleAhead <= 0)
        {
            return 0;
        }

        var minutes = await MinutesPerServiceAsync(db, branch, service, now, cancellationToken);
        var counters = await OpenCountersAsync(db, service.Id, cancellationToken);
        return Estimate(peopleAhead, minutes, counters);
    }

    /// <summary>The service's outlook now; null when there is no such service.</summary>
    public async Task<ServiceOutlook?> OutlookAsync(QueueingDbContext db, Guid serviceId, DateTime now, CancellationToken cancellationToken)
    {
        var found = await db.Services.AsNoTracking()
            .Where(s => s.Id == serviceId)
            .Join(db.Branches.AsNoTracking(), s => s.BranchId, b => b.Id, (s, b) => new { Service = s, Branch = b })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var minutes = await MinutesPerServiceAsync(db, found.Branch, found.Service, now, cancellationToken);
        var counters = await OpenCountersAsync(db, serviceId, cancellationToken);
        return new ServiceOutlook(found.Branch, found.Service, minutes, counters);
    }

    public async Task<double> MinutesPerServiceAsync(QueueingDbContext db, Branch branch, Service service, DateTime now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var dayStart = BranchCalendar.DayStartUtc(branch, now);
        var recent = await RecentServicesQuery.For(db)(db, service.Id, dayStart, settings.EstimateSampleSize).ToListAsync(cancellationToken);
        if (recent.Count < settings.EstimateMinimumSamples)
        {
            return Math.Max(1, service.DefaultServiceMinutes);
        }

        var durations = recent.Select(r => (r.FinishedAt - r.StartedAt).TotalMinutes).Order().ToList();
        return Median(durations);
    }

    public static Task<int> OpenCountersAsync(QueueingDbContext db, Guid serviceId, CancellationToken cancellationToken) =>
        OpenCountersQuery.For(db)(db, serviceId, cancellationToken);

    private sealed record ServiceSpan(DateTime StartedAt, DateTime FinishedAt);
}
