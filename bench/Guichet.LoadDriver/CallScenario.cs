using System.Collections.Concurrent;
using System.Diagnostics;

namespace Guichet.LoadDriver;

/// <summary>
/// Twenty counters calling next at the same time on a deep queue. Each counter calls, then
/// releases the ticket (no-show) and calls again, as fast as the server answers. Every ticket
/// handed out is recorded: a ticket given to two counters is a failure.
/// </summary>
internal sealed class CallScenario : IScenario
{
    public const int Counters = 20;

    /// <summary>Calling before the measured run.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    public string Name => "call";

    public string Description => "20 counters calling next concurrently on a deep queue; no ticket may be handed out twice";

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        using var client = LoadClient.Create(context.Server.Address, Math.Max(context.Concurrency, Counters * 2));
        // Enough waiting tickets that the queue does not run dry within the warm-up and the run at the target rate.
        var warmUp = context.Smoke ? TimeSpan.Zero : WarmUp;
        var queued = context.Smoke ? 200 : (int)Math.Min(200_000, 3_000 * (context.Duration + warmUp).TotalSeconds);
        var hall = await BenchHall.CreateAsync(context.Server, client, Counters, queued, context.Concurrency, cancellationToken);

        var called = new ConcurrentBag<Guid>();
        var errors = 0L;
        var ranDry = false;
        async Task<(LatencyRecorder Recorder, TimeSpan Elapsed)> CallForAsync(TimeSpan duration)
        {
            var recorder = new LatencyRecorder(Counters);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(duration);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(hall.CounterIds.Select((counterId, worker) => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        var ticket = await StaffApi.CallNextAsync(client, hall.CounterKey, counterId, CancellationToken.None);
                        if (ticket is null)
                        {
                            ranDry = true;
                            return;
                        }

                        recorder.Record(worker, started);
                        called.Add(ticket.TicketId);
                        await StaffApi.ReleaseAsync(client, hall.CounterKey, counterId, CancellationToken.None);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }, CancellationToken.None)));
            return (recorder, clock.Elapsed);
        }

        // Not measured: the server's JIT tiers up the calling path first, as in a hall open for
        // hours (issuing the queue warmed only the issuing path). Its calls are still checked
        // for duplicates below.
        if (warmUp > TimeSpan.Zero)
        {
            await CallForAsync(warmUp);
        }

        var cpuBefore = context.Server.CpuTime;
        var (recorder, elapsed) = await CallForAsync(context.Duration);
        var cpuUsed = context.Server.CpuTime - cpuBefore;
        var latency = recorder.Summarize();
        var duplicates = called.Count - called.Distinct().Count();
        var failures = new List<string>();
        if (duplicates > 0)
        {
            failures.Add($"{duplicates} tickets were handed out to more than one counter");
        }

        if (called.IsEmpty)
        {
            failures.Add("no ticket was called");
        }

        var result = new LoadResult(latency.Count, errors, elapsed, latency);
        return ScenarioReport.From(Name, result,
        [
            new Measure("calls", latency.Count, "tickets"),
            new Measure("calls/s (call + release)", Math.Round(latency.Count / elapsed.TotalSeconds, 1), "calls/s"),
            ScenarioReport.CpuPerRequest(cpuUsed, latency.Count, "ms/call"),
            new Measure("calls checked for duplicates (warm-up included)", called.Count, "tickets"),
            new Measure("duplicates", duplicates, "tickets"),
            new Measure("queue ran dry", ranDry ? 1 : 0, "bool"),
        ], failures);
    }
}
