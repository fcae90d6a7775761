using Guichet.Queueing.Live;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Calling;

public sealed class LiveEventTests
{
    [Fact]
    public async Task A_call_is_published_with_number_and_window_only()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        using var subscription = new ChangeInbox(hall.Services.GetRequiredService<IQueueEvents>(), layout.BranchId);
        var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        await hall.CallNextAsync(layout.CounterA);

        Assert.True(subscription.Changes.TryRead(out var issuedChange));
        Assert.Equal(issued.TicketId, issuedChange.TicketId);
        Assert.Null(issuedChange.Call);
        Assert.True(subscription.Changes.TryRead(out var callChange));
        Assert.Equal(new CallAnnouncement("A001", 2, "Window 2", QueueHarness.DefaultStart.UtcDateTime, false), callChange.Call);
    }

    [Fact]
    public async Task Subscribers_get_only_their_branchs_changes()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var other = await hall.SeedHallAsync();
        using var subscription = new ChangeInbox(hall.Services.GetRequiredService<IQueueEvents>(), other.BranchId);

        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        Assert.False(subscription.Changes.TryRead(out _));
    }
}
