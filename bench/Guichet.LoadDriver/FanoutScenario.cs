using System.Collections.Concurrent;
using System.Diagnostics;

namespace Guichet.LoadDriver;

/// <summary>
/// A thousand live screens — display boards and customers' ticket trackers — connected over
/// Server-Sent Events while twenty counters call. Measures, for every call, the time from the
/// counter's "call next" being acknowledged to each screen receiving it, and the server's
/// memory with all streams open.
/// </summary>
internal sealed class FanoutScenario : IScenario
{
    private const int Displays = 100;
    private const int Trackers = 900;
    private static readonly TimeSpan CallInterval = TimeSpan.FromMilliseconds(500);

    public string Name => "fanout";

    public string Description => "1,000 SSE clients (100 displays, 900 trackers) while 20 counters each call twice a second";

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var displays = context.Smoke ? 5 : Displays;
        var trackers = context.Smoke ? 15 : Trackers;
        using var client = LoadClient.Create(context.Server.Address, displays + trackers + CallScenario.Counters + context.Concurrency);
        var hall = await BenchHall.CreateAsync(context.Server, client, CallScenario.Counters, trackers + 300, context.Concurrency, cancellationToken);

        using var streams = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var screens = new List<(LiveClient Client, Task Run)>();
        var connections = new List<Task>();
        for (var i = 0; i < displays; i++)
        {
            var screen = new LiveClient(client, $"/api/v1/branches/{hall.BranchId}/display/events", call => call.GetProperty("number").GetString());
            connections.Add(Start(screen));
        }

        foreach (var ticket in hall.Queue.Take(trackers))
        {
            var screen = new LiveClient(client, $"/api/v1/tickets/{ticket.TrackerToken}/events",
                view => view.GetProperty("status").GetString() == "Called" ? ticket.Number : null);
            connections.Add(Start(screen));
        }

        await Task.WhenAll(connections);
        var workingSetConnected = context.Server.WorkingSet;

        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var peakWorkingSet = workingSetConnected;
        using var stopCalling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stopCalling.CancelAfter(context.Duration);
        var sampler = Task.Run(async () =>
        {
            while (!stopCalling.IsCancellationRequested)
            {
                peakWorkingSet = Math.Max(peakWorkingSet, context.Server.WorkingSet);
                await Task.Delay(250, CancellationToken.None);
            }
        }, CancellationToken.None);
        var errors = 0L;
        await Task.WhenAll(hall.CounterIds.Select(counterId => Task.Run(async () =>
        {
            while (!stopCalling.IsCancellationRequested)
            {
                var pace = Task.Delay(CallInterval, CancellationToken.None);
                try
                {
                    var ticket = await StaffApi.CallNextAsync(client, hall.CounterKey, counterId, CancellationToken.None);
                    if (ticket is null)
                    {
                        return;
                    }

                    acknowledged[ticket.Number] = Stopwatch.GetTimestamp();
                    await StaffApi.ReleaseAsync(client, hall.CounterKey, counterId, CancellationToken.None);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                await pace;
            }
        }, CancellationToken.None)));
        await sampler;

        // Let the last events drain, then hang up every screen.
        await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
        await streams.CancelAsync();
        await Task.WhenAll(screens.Select(s => s.Run));

        // An event may arrive before the counter's own answer does: that counts as no delay.
        var latencies = screens
            .SelectMany(s => s.Client.Arrivals)
            .Where(a => acknowledged.ContainsKey(a.Key))
            .Select(a => Math.Max(0, (a.Value - acknowledged[a.Key]) * 1000.0 / Stopwatch.Frequency))
            .ToArray();
        var summary = LatencySummary.FromMilliseconds(latencies);
        var missedByDisplays = screens.Take(displays).Sum(s => acknowledged.Keys.Count(number => !s.Client.Arrivals.ContainsKey(number)));
        var failures = new List<string>();
        if (screens.Any(s => !s.Client.Connected))
        {
            failures.Add($"{screens.Count(s => !s.Client.Connected)} screens could not connect");
        }

        if (acknowledged.IsEmpty)
        {
            failures.Add("no ticket was called");
        }

        if (missedByDisplays > 0)
        {
            failures.Add($"display boards missed {missedByDisplays} calls");
        }

        return new ScenarioReport(Name,
        [
            new Measure("screens", screens.Count, "SSE clients"),
            new Measure("calls", acknowledged.Count, "tickets"),
            new Measure("events measured", summary.Count, "events"),
            new Measure("p50", Math.Round(summary.P50, 2), "ms"),
            new Measure("p99", Math.Round(summary.P99, 2), "ms"),
            new Measure("max", Math.Round(summary.Max, 2), "ms"),
            new Measure("call errors", errors, "req"),
            new Measure("server working set, all screens connected", Math.Round(workingSetConnected / 1048576.0, 1), "MB"),
            new Measure("server working set, peak while calling", Math.Round(peakWorkingSet / 1048576.0, 1), "MB"),
        ], failures);

        Task Start(LiveClient screen)
        {
            var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            screens.Add((screen, Task.Run(() => screen.RunAsync(connected, streams.Token), CancellationToken.None)));
            return connected.Task;
        }
    }
}
