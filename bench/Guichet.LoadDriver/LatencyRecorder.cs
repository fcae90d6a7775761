using System.Diagnostics;

namespace Guichet.LoadDriver;

/// <summary>Per-worker latency samples (no locking on the hot path), merged once at the end.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<long>[] samples;

    public LatencyRecorder(int workers)
    {
        samples = new List<long>[workers];
        for (var i = 0; i < workers; i++)
        {
            samples[i] = new List<long>(capacity: 64 * 1024);
        }
    }

    public void Record(int worker, long startTimestamp) => samples[worker].Add(Stopwatch.GetTimestamp() - startTimestamp);

    public LatencySummary Summarize()
    {
        var all = samples.SelectMany(static s => s).ToArray();
        Array.Sort(all);
        return LatencySummary.FromSortedTicks(all);
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50, double P99, double Max)
{
    public static LatencySummary FromSortedTicks(long[] sorted)
    {
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }

        return new LatencySummary(sorted.Length, Milliseconds(Percentile(sorted, 0.50)), Milliseconds(Percentile(sorted, 0.99)), Milliseconds(sorted[^1]));
    }

    public static LatencySummary FromMilliseconds(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }

        return new LatencySummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
    }

    private static T Percentile<T>(T[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
