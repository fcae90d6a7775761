namespace Guichet.Audit.Detection;

/// <summary>
/// Events per key over a sliding window, and which alert levels already fired for a key in
/// the current window (one alert per level and window, not one per event). Not thread-safe:
/// the detector holds its lock.
/// </summary>
internal sealed class SlidingCounter
{
    private const int MaxEvidence = 100;
    private readonly Dictionary<string, Queue<(DateTime At, long Sequence, string? Item)>> events = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string Level), DateTime> fired = [];

    public int Keys => events.Count;

    public Window Add(string key, DateTime at, long sequence, TimeSpan window, string? item = null)
    {
        if (!events.TryGetValue(key, out var queue))
        {
            queue = new Queue<(DateTime, long, string?)>();
            events[key] = queue;
        }

        queue.Enqueue((at, sequence, item));
        Prune(queue, at - window);
        var distinct = item is null ? 0 : queue.Select(e => e.Item).Distinct(StringComparer.Ordinal).Count();
        var evidence = queue.Select(e => e.Sequence).TakeLast(MaxEvidence).ToArray();
        return new Window(queue.Count, distinct, evidence);
    }

    /// <summary>True the first time <paramref name="level"/> fires for <paramref name="key"/> within a window.</summary>
    public bool TryFire(string key, string level, DateTime at, TimeSpan window)
    {
        if (fired.TryGetValue((key, level), out var last) && at - last < window)
        {
            return false;
        }

        fired[(key, level)] = at;
        return true;
    }

    /// <summary>Drops keys with nothing left in their window, so memory follows activity.</summary>
    public void Sweep(DateTime now, TimeSpan window)
    {
        foreach (var key in events.Keys.ToList())
        {
            var queue = events[key];
            Prune(queue, now - window);
            if (queue.Count == 0)
            {
                events.Remove(key);
            }
        }

        foreach (var key in fired.Where(f => now - f.Value >= window).Select(f => f.Key).ToList())
        {
            fired.Remove(key);
        }
    }

    private static void Prune(Queue<(DateTime At, long Sequence, string? Item)> queue, DateTime oldest)
    {
        while (queue.Count > 0 && queue.Peek().At <= oldest)
        {
            queue.Dequeue();
        }
    }

    public readonly record struct Window(int Count, int Distinct, long[] Evidence);
}
