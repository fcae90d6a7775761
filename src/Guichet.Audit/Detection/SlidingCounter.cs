namespace Guichet.Audit.Detection;

/// <summary>
/// Events per key over a sliding window, and which alert levels already fired for a key in
/// the current window (one alert per level and window, not one per event). Not thread-safe:
/// the detector holds its lock.
/// </summary>
/// <remarks>
/// Every ledger entry passes through here before its caller is answered, so an event costs
/// the same however full its window is: the distinct items and the latest evidence are kept
/// up to date as events enter and leave, never recounted. (A key with an hour's window and
/// hundreds of events a second, an integration's API key, made recounting the window the
/// largest cost of a customer lookup.)
/// </remarks>
internal sealed class SlidingCounter
{
    /// <summary>The most ledger sequence numbers a finding cites: the latest events of its window.</summary>
    public const int MaxEvidence = 100;

    private readonly Dictionary<string, KeyWindow> windows = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string Level), DateTime> fired = [];

    public int Keys => windows.Count;

    public Window Add(string key, DateTime at, long sequence, TimeSpan window, string? item = null)
    {
        if (!windows.TryGetValue(key, out var events))
        {
            events = new KeyWindow();
            windows[key] = events;
        }

        events.Add(at, sequence, item);
        events.Prune(at - window);
        return new Window(events.Count, item is null ? 0 : events.DistinctItems, events.Evidence());
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
        foreach (var (key, events) in windows.ToList())
        {
            events.Prune(now - window);
            if (events.Count == 0)
            {
                windows.Remove(key);
            }
        }

        foreach (var key in fired.Where(f => now - f.Value >= window).Select(f => f.Key).ToList())
        {
            fired.Remove(key);
        }
    }

    public readonly record struct Window(int Count, int Distinct, long[] Evidence);

    /// <summary>One key's events in its window, with running tallies of what the rules ask.</summary>
    private sealed class KeyWindow
    {
        private readonly Queue<(DateTime At, string? Item)> events = new();
        private readonly Dictionary<string, int> items = new(StringComparer.Ordinal);
        private readonly Queue<long> latest = new();

        public int Count => events.Count;

        public int DistinctItems => items.Count;

        public void Add(DateTime at, long sequence, string? item)
        {
            events.Enqueue((at, item));
            if (item is not null)
            {
                items[item] = items.GetValueOrDefault(item) + 1;
            }

            latest.Enqueue(sequence);
            if (latest.Count > MaxEvidence)
            {
                latest.Dequeue();
            }
        }

        public void Prune(DateTime oldest)
        {
            while (events.Count > 0 && events.Peek().At <= oldest)
            {
                var (_, item) = events.Dequeue();
                if (item is not null && --items[item] == 0)
                {
                    items.Remove(item);
                }
            }

            // The latest events are the last to leave: evidence never outlives its window.
            while (latest.Count > events.Count)
            {
                latest.Dequeue();
            }
        }

        public long[] Evidence() => [.. latest];
    }
}
