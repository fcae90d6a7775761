using Guichet.Queueing.Live;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Live;

public sealed class TrackerOutlooksTests
{
    [Fact]
    public async Task Trackers_of_a_service_share_one_read_of_its_outlook_within_a_quarter_of_the_refresh_interval()
    {
        // A minute's refresh interval: reads are shared for 15 seconds.
        await using var hall = await StartAsync(refreshMilliseconds: 60_000);
        var layout = await hall.SeedHallAsync();
        var outlooks = hall.Services.GetRequiredService<TrackerOutlooks>();

        var first = await outlooks.GetAsync(layout.ServiceA);
        await hall.AtCounterAsync(layout.CounterA, (desk, actor, id) => desk.PauseAsync(actor, id, CancellationToken.None));
        var second = await outlooks.GetAsync(layout.ServiceA);
        var otherService = await outlooks.GetAsync(layout.ServiceB);

        Assert.Same(first, second);
        Assert.Equal(2, first!.OpenCounters);
        Assert.Equal(("Test Branch", "Deposits"), (first.Branch.Name, first.Service.Name));
        Assert.Equal(("Loans", 1), (otherService!.Service.Name, otherService.OpenCounters));
        Assert.Null(await outlooks.GetAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task An_outlook_older_than_the_sharing_window_is_read_again_and_shows_the_change()
    {
        // A 4 ms refresh interval: a read is shared for 1 ms at most.
        await using var hall = await StartAsync(refreshMilliseconds: 4);
        var layout = await hall.SeedHallAsync();
        var outlooks = hall.Services.GetRequiredService<TrackerOutlooks>();

        var before = await outlooks.GetAsync(layout.ServiceA);
        await hall.AtCounterAsync(layout.CounterA, (desk, actor, id) => desk.PauseAsync(actor, id, CancellationToken.None));
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        var after = await outlooks.GetAsync(layout.ServiceA);

        Assert.NotSame(before, after);
        Assert.Equal((2, 1), (before!.OpenCounters, after!.OpenCounters));
        // The service's default 4 minutes (nothing served yet), over the open counters.
        Assert.Equal((6, 12), (before.EstimateFor(3), after.EstimateFor(3)));
    }

    private static Task<QueueHarness> StartAsync(int refreshMilliseconds) =>
        QueueHarness.StartAsync(configure: services =>
            services.PostConfigure<QueueingOptions>(options => options.LiveRefreshMilliseconds = refreshMilliseconds));
}
