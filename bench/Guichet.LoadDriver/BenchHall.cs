using System.Collections.Concurrent;

namespace Guichet.LoadDriver;

/// <summary>
/// A hall set up for calling: the demo branch, one bench service, a number of counters serving
/// it, API keys for a branch manager (configuration) and for counter staff (calling), and a
/// queue filled ahead of the measurement.
/// </summary>
internal sealed record BenchHall(Guid BranchId, Guid ServiceId, IReadOnlyList<Guid> CounterIds, string CounterKey, IReadOnlyList<HallApi.IssuedTicket> Queue)
{
    public static async Task<BenchHall> CreateAsync(ServerProcess server, HttpClient client, int counters, int queued, int concurrency, CancellationToken cancellationToken)
    {
        var branch = await HallApi.FirstBranchAsync(client, cancellationToken);
        var managerKey = await StaffApi.CreateApiKeyAsync(server, "BranchManager", branch, cancellationToken);
        var counterKey = await StaffApi.CreateApiKeyAsync(server, "CounterStaff", branch, cancellationToken);
        var service = await StaffApi.CreateBenchServiceAsync(client, managerKey, branch, "Z", cancellationToken);
        var counterIds = new List<Guid>();
        for (var window = 1; window <= counters; window++)
        {
            // Window numbers past the demo's own (1-3).
            counterIds.Add(await StaffApi.CreateCounterAsync(client, managerKey, branch, 100 + window, service, cancellationToken));
        }

        // Issued in order of arrival per worker; sorted afterwards by the number the server gave.
        var issued = new ConcurrentBag<HallApi.IssuedTicket>();
        var next = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, concurrency), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (_, ct) =>
        {
            while (Interlocked.Increment(ref next) <= queued)
            {
                var ticket = await HallApi.IssueAsync(client, branch, service, phone: null, ct)
                    ?? throw new InvalidOperationException("filling the queue: a ticket was refused");
                issued.Add(ticket);
            }
        });

        var queue = issued.OrderBy(t => int.Parse(t.Number.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new BenchHall(branch, service, counterIds, counterKey, queue);
    }
}
