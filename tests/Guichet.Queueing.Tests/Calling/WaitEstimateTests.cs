using Guichet.Queueing.Calling;
using Guichet.Queueing.Tests.Infrastructure;

namespace Guichet.Queueing.Tests.Calling;

public sealed class WaitEstimateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(0, 5.0, 1, 0)]
    [InlineData(1, 5.0, 1, 5)]
    [InlineData(3, 5.0, 2, 8)] // 7.5 rounds up
    [InlineData(4, 2.5, 0, 10)] // no open counter counts as one
    public void Estimate_is_people_ahead_times_minutes_per_service_over_open_counters(int ahead, double minutes, int counters, int expected) =>
        Assert.Equal(expected, WaitEstimator.Estimate(ahead, minutes, counters));

    [Theory]
    [InlineData(new[] { 1.0, 2.0, 9.0 }, 2.0)]
    [InlineData(new[] { 1.0, 2.0, 4.0, 9.0 }, 3.0)]
    public void Median_of_sorted_durations(double[] durations, double expected) =>
        Assert.Equal(expected, WaitEstimator.Median(durations));

    [Fact]
    public async Task Without_enough_services_today_the_default_minutes_are_used()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync(); // default 4 minutes; A is served by two open counters
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        var third = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        Assert.Equal(2, third.PeopleAhead);
        Assert.Equal(4, third.EstimatedWaitMinutes); // ceil(2 × 4 ÷ 2)
    }

    [Fact]
    public async Task Completed_services_today_drive_the_estimate_and_paused_counters_do_not_count()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        await hall.AtCounterAsync(layout.CounterAb, (d, a, id) => d.PauseAsync(a, id, None));
        foreach (var minutes in new[] { 10, 10, 10 })
        {
            await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
            await hall.CallNextAsync(layout.CounterA);
            await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.StartAsync(a, id, None));
            hall.Time.Advance(TimeSpan.FromMinutes(minutes));
            await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.CompleteAsync(a, id, None));
        }

        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        var second = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        Assert.Equal(1, second.PeopleAhead);
        Assert.Equal(10, second.EstimatedWaitMinutes); // 1 × 10 ÷ 1 open counter
        var services = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().ListServicesAsync(layout.BranchId, None));
        var deposits = services!.Single(s => s.Id == layout.ServiceA);
        Assert.Equal(2, deposits.Waiting);
        Assert.Equal(20, deposits.EstimatedWaitMinutes);
    }
}
