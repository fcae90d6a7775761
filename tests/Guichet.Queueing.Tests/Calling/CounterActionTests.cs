using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Tests.Infrastructure;

namespace Guichet.Queueing.Tests.Calling;

public sealed class CounterActionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_ticket_goes_called_serving_done_with_every_change_in_its_history()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        var called = await hall.CallNextAsync(layout.CounterA);
        hall.Time.Advance(TimeSpan.FromMinutes(1));
        var started = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.StartAsync(a, id, None));
        hall.Time.Advance(TimeSpan.FromMinutes(3));
        var done = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.CompleteAsync(a, id, None));

        Assert.Equal(TicketStatus.Called, called.Value!.CurrentTicket!.Status);
        Assert.Equal(TicketStatus.Serving, started.Value!.CurrentTicket!.Status);
        Assert.Null(done.Value!.CurrentTicket);
        var ticket = await hall.TicketAsync(issued.TicketId);
        Assert.Equal(TicketStatus.Done, ticket.Status);
        Assert.Equal(layout.CounterA, ticket.CounterId);
        Assert.Equal("staff-test-1", ticket.StaffMemberId);
        Assert.Equal(
            [TicketEventKind.Issued, TicketEventKind.Called, TicketEventKind.Started, TicketEventKind.Completed],
            (await hall.HistoryAsync(issued.TicketId)).Select(e => e.Kind));
    }

    [Fact]
    public async Task Acting_on_a_ticket_the_counter_does_not_hold_is_a_conflict_and_changes_nothing()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.CallNextAsync(layout.CounterA);

        var completeBeforeStart = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.CompleteAsync(a, id, None));
        var startElsewhere = await hall.AtCounterAsync(layout.CounterAb, (d, a, id) => d.StartAsync(a, id, None));
        var resumeUnsuspended = await hall.AtCounterAsync(layout.CounterAb, (d, a, id) => d.ResumeTicketAsync(a, id, issued.TicketId, None));
        var callWhileHolding = await hall.CallNextAsync(layout.CounterA);

        Assert.All([completeBeforeStart, startElsewhere, resumeUnsuspended, callWhileHolding], o => Assert.Equal(OutcomeKind.Conflict, o.Kind));
        var ticket = await hall.TicketAsync(issued.TicketId);
        Assert.Equal(TicketStatus.Called, ticket.Status);
        Assert.Equal(layout.CounterA, ticket.CounterId);
        Assert.Equal(2, (await hall.HistoryAsync(issued.TicketId)).Count);
    }

    [Fact]
    public async Task No_show_applies_only_to_a_called_ticket()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.CallNextAsync(layout.CounterA);

        var recalled = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.RecallAsync(a, id, None));
        var noShow = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.NoShowAsync(a, id, None));
        var again = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.NoShowAsync(a, id, None));

        Assert.Equal(OutcomeKind.Ok, recalled.Kind);
        Assert.Equal(OutcomeKind.Ok, noShow.Kind);
        Assert.Equal(OutcomeKind.Conflict, again.Kind);
        Assert.Equal(TicketStatus.NoShow, (await hall.TicketAsync(issued.TicketId)).Status);
    }

    [Fact]
    public async Task A_suspended_ticket_waits_at_its_counter_and_is_called_back_later()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var first = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        var second = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.CallNextAsync(layout.CounterA);

        var suspended = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.SuspendAsync(a, id, None));
        var next = await hall.CallNextAsync(layout.CounterA);
        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.NoShowAsync(a, id, None));
        var resumed = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.ResumeTicketAsync(a, id, first.TicketId, None));

        Assert.Equal(first.TicketId, Assert.Single(suspended.Value!.Suspended).TicketId);
        Assert.Equal(second.Number, next.Value!.CurrentTicket!.Number);
        Assert.Equal(first.Number, resumed.Value!.CurrentTicket!.Number);
        Assert.Equal(TicketStatus.Called, resumed.Value.CurrentTicket.Status);
        Assert.Empty(resumed.Value.Suspended);
    }

    [Fact]
    public async Task A_paused_counter_does_not_call_until_resumed()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        var paused = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.PauseAsync(a, id, None));
        var refused = await hall.CallNextAsync(layout.CounterA);
        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.ResumeCounterAsync(a, id, None));
        var called = await hall.CallNextAsync(layout.CounterA);

        Assert.True(paused.Value!.IsPaused);
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Equal("A001", called.Value!.CurrentTicket!.Number);
    }

    [Fact]
    public async Task A_counter_outside_the_callers_branches_is_not_found_and_untouched()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var otherBranch = await hall.SeedHallAsync();
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        var outsider = new StaffActor(BranchScope.Of(otherBranch.BranchId), "staff-test-2");

        var call = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.CallNextAsync(a, id, None), outsider);
        var state = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(outsider, layout.CounterA, None));
        var list = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().ListAsync(outsider, layout.BranchId, None));
        var own = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().ListAsync(outsider, otherBranch.BranchId, None));

        Assert.Equal(OutcomeKind.NotFound, call.Kind);
        Assert.Null(state);
        Assert.Null(list);
        Assert.Equal(3, own!.Count);
        var insider = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(QueueHarness.Staff, layout.CounterA, None));
        Assert.Null(insider!.CurrentTicket);
        Assert.Single(insider.Waiting);
    }

    [Fact]
    public async Task The_counter_state_survives_a_restart_of_the_module()
    {
        var connection = QueueHarness.NewSqliteConnectionString();
        HallLayout layout;
        await using (var before = await QueueHarness.StartAsync(connection))
        {
            layout = await before.SeedHallAsync();
            await before.IssueOkAsync(layout.BranchId, layout.ServiceA);
            await before.CallNextAsync(layout.CounterA);
            await before.AtCounterAsync(layout.CounterA, (d, a, id) => d.StartAsync(a, id, None));
        }

        await using var after = await QueueHarness.StartAsync(connection);
        var state = await after.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(QueueHarness.Staff, layout.CounterA, None));

        Assert.Equal(TicketStatus.Serving, state!.CurrentTicket!.Status);
        Assert.Equal("A001", state.CurrentTicket.Number);
    }

    [Fact]
    public async Task Warnings_appear_when_a_services_waiting_count_passes_its_level()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync(warningLevel: 2);
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        var atLevel = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(QueueHarness.Staff, layout.CounterAb, None));
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        var past = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(QueueHarness.Staff, layout.CounterAb, None));

        Assert.Empty(atLevel!.Warnings);
        var warning = Assert.Single(past!.Warnings);
        Assert.Equal(layout.ServiceA, warning.ServiceId);
        Assert.Equal(3, warning.Waiting);
        Assert.False(warning.AtLeast);
        Assert.Equal(3, past.Waiting.Count);
    }

    [Fact]
    public async Task A_queue_far_past_its_warning_level_is_counted_only_so_far_and_said_to_be_at_least_that()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync(dailyCap: 2000, warningLevel: 2);
        var limit = 2 + CounterDesk.WarningCountBeyondLevel;
        await Task.WhenAll(Enumerable.Range(0, limit - 1).Select(_ => hall.IssueOkAsync(layout.BranchId, layout.ServiceA)));
        var within = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(QueueHarness.Staff, layout.CounterAb, None));
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        var beyond = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(QueueHarness.Staff, layout.CounterAb, None));

        var exact = Assert.Single(within!.Warnings);
        Assert.Equal((limit - 1, false), (exact.Waiting, exact.AtLeast));
        var bounded = Assert.Single(beyond!.Warnings);
        Assert.Equal((limit, true), (bounded.Waiting, bounded.AtLeast));
        Assert.Equal(limit + 1, await hall.CountTicketsAsync());
    }

    [Fact]
    public async Task Transfer_to_an_unknown_service_is_not_found_and_the_counter_keeps_its_ticket()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.CallNextAsync(layout.CounterA);

        var outcome = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.TransferAsync(a, id, Guid.NewGuid(), null, None));

        Assert.Equal(OutcomeKind.NotFound, outcome.Kind);
        var state = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(QueueHarness.Staff, layout.CounterA, None));
        Assert.Equal("A001", state!.CurrentTicket!.Number);
    }
}

internal static class CounterDeskLookup
{
    public static CounterDesk GetRequiredCounterDesk(this IServiceProvider services) =>
        (CounterDesk)services.GetService(typeof(CounterDesk))!;
}
