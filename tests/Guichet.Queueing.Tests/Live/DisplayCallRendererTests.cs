using Guichet.Privacy;
using Guichet.Queueing.Live;
using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Live;

public sealed class DisplayCallRendererTests
{
    [Fact]
    public async Task Every_board_gets_one_shared_render_of_a_call_with_the_masked_name()
    {
        await using var hall = await QueueHarness.StartAsync();
        await PrivacyModule.MigrateAsync(hall.Services, CancellationToken.None);
        var layout = await hall.SeedHallAsync();
        await hall.InScopeAsync(s => s.GetRequiredService<QueueingDbContext>().Branches
            .Where(b => b.Id == layout.BranchId).ExecuteUpdateAsync(set => set.SetProperty(b => b.ShowMaskedNames, true)));
        using var subscription = new ChangeInbox(hall.Services.GetRequiredService<IQueueEvents>(), layout.BranchId);
        await hall.InScopeAsync(s => s.GetRequiredService<Queueing.Calling.TicketDesk>().IssueForStaffAsync(
            QueueHarness.Staff, layout.BranchId, layout.ServiceA, null, CancellationToken.None, "Test Person"));
        await hall.CallNextAsync(layout.CounterA);
        var changes = new List<QueueChange>();
        while (subscription.Changes.TryRead(out var change))
        {
            changes.Add(change);
        }

        var call = Assert.Single(changes, c => c.Call is not null);
        var renderer = hall.Services.GetRequiredService<DisplayCallRenderer>();

        var first = renderer.RenderAsync(call);
        var second = renderer.RenderAsync(call);
        var otherCall = renderer.RenderAsync(call with { });

        Assert.Same(first, second);
        Assert.NotSame(first, otherCall);
        Assert.Null(renderer.RenderAsync(Assert.Single(changes, c => c.Call is null)));
        var view = await first!;
        Assert.Equal((call.Call!.Number, "T. P*****"), (view.Number, view.MaskedName));
        Assert.Equal(view, await otherCall!);
    }
}
