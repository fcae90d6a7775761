using System.Diagnostics;

namespace Guichet.LoadDriver;

/// <summary>
/// Closed-loop load: <c>workers</c> concurrent callers, each issuing its next request as soon
/// as the previous one answers, for a fixed time. Bounded in time by construction.
/// </summary>
internal static class LoadLoop
{
    public static async Task<LoadResult> RunAsync(int workers, TimeSpan duration, Func<int, CancellationToken, Task<bool>> operation, CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder(workers);
        var errors = new long[workers];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await operation(worker, CancellationToken.None);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }
                catch (TaskCanceledException)
                {
                    ok = false;
                }

                if (ok)
                {
                    recorder.Record(worker, started);
                }
                else
                {
                    errors[worker]++;
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(tasks);
        clock.Stop();
        var latency = recorder.Summarize();
        return new LoadResult(latency.Count, errors.Sum(), clock.Elapsed, latency);
    }
}

/// <summary>What one loop achieved: successful operations, errors, wall time and latency.</summary>
internal sealed record LoadResult(long Succeeded, long Errors, TimeSpan Elapsed, LatencySummary Latency)
{
    public double PerSecond => Succeeded / Elapsed.TotalSeconds;
}
