using Guichet.Audit.Detection;

namespace Guichet.Audit.Tests.Detection;

public sealed class SlidingCounterTests
{
    private static readonly DateTime Start = new(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    [Fact]
    public void Distinct_items_count_each_item_once_and_forget_it_when_its_last_event_leaves_the_window()
    {
        var counter = new SlidingCounter();
        counter.Add("agent-1", Start, 1, Window, "cus-a");
        counter.Add("agent-1", Start.AddMinutes(1), 2, Window, "cus-b");
        var both = counter.Add("agent-1", Start.AddMinutes(2), 3, Window, "cus-a");
        Assert.Equal((3, 2), (both.Count, both.Distinct));

        // The first cus-a has left; the second is still in the window, so cus-a still counts.
        var later = counter.Add("agent-1", Start.AddMinutes(10.5), 4, Window, "cus-c");
        Assert.Equal((3, 3), (later.Count, later.Distinct));

        // Now only the last two events remain: cus-a's second and cus-b are gone.
        var afterB = counter.Add("agent-1", Start.AddMinutes(12.5), 5, Window, "cus-c");
        Assert.Equal((2, 1), (afterB.Count, afterB.Distinct));
        Assert.Equal([4, 5], afterB.Evidence);
    }

    [Fact]
    public void Evidence_is_the_latest_events_still_in_the_window_at_most_a_hundred()
    {
        var counter = new SlidingCounter();
        SlidingCounter.Window window = default;
        for (var i = 1; i <= 250; i++)
        {
            window = counter.Add("agent-2", Start.AddSeconds(i), i, Window, $"cus-{i % 7}");
        }

        Assert.Equal(250, window.Count);
        Assert.Equal(7, window.Distinct);
        Assert.Equal(Enumerable.Range(151, 100).Select(i => (long)i), window.Evidence);

        // Nine minutes later only the events from the last 60 seconds are in the window.
        var late = counter.Add("agent-2", Start.AddSeconds(250 + 540), 251, Window, "cus-x");
        Assert.Equal(61, late.Count);
        Assert.Equal(61, late.Evidence.Length);
        Assert.Equal(191, late.Evidence[0]);
        Assert.Equal(251, late.Evidence[^1]);
    }

    [Fact]
    public void A_counter_without_items_reports_no_distinct_count_and_sweeping_drops_idle_keys()
    {
        var counter = new SlidingCounter();
        var window = counter.Add("agent-3", Start, 1, Window);
        Assert.Equal((1, 0), (window.Count, window.Distinct));
        counter.Add("agent-4", Start.AddMinutes(5), 2, Window);
        Assert.Equal(2, counter.Keys);

        counter.Sweep(Start.AddMinutes(11), Window);

        Assert.Equal(1, counter.Keys);
    }
}
