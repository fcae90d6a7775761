using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Tests.Infrastructure;

namespace Guichet.Queueing.Tests.Calling;

public sealed class CallingRuleTests
{
    [Fact]
    public async Task Priority_tickets_are_called_before_earlier_normal_ones()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        hall.Time.Advance(TimeSpan.FromMinutes(1));
        var priority = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA, TicketPriority.Priority);

        var called = await hall.CallNextAsync(layout.CounterA);

        Assert.Equal(priority.Number, called.Value!.CurrentTicket!.Number);
        Assert.Equal(TicketPriority.Priority, called.Value.CurrentTicket.Priority);
    }

    [Fact]
    public async Task The_longest_waiting_ticket_across_the_counters_services_is_called()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var loansFirst = await hall.IssueOkAsync(layout.BranchId, layout.ServiceB);
        hall.Time.Advance(TimeSpan.FromMinutes(1));
        var depositsLater = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        var first = await hall.CallNextAsync(layout.CounterAb);
        await hall.AtCounterAsync(layout.CounterAb, (d, a, id) => d.NoShowAsync(a, id, CancellationToken.None));
        var second = await hall.CallNextAsync(layout.CounterAb);

        Assert.Equal(loansFirst.Number, first.Value!.CurrentTicket!.Number);
        Assert.Equal(depositsLater.Number, second.Value!.CurrentTicket!.Number);
    }

    [Fact]
    public async Task A_counter_never_calls_a_service_it_does_not_serve()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceC);

        var outcome = await hall.CallNextAsync(layout.CounterAb);

        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("Nobody is waiting", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transferred_ticket_keeps_its_arrival_time_and_goes_ahead_of_later_arrivals()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var early = await hall.IssueOkAsync(layout.BranchId, layout.ServiceC);
        hall.Time.Advance(TimeSpan.FromMinutes(5));
        var laterDeposit = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.CallNextAsync(layout.CounterC);
        hall.Time.Advance(TimeSpan.FromMinutes(5));

        var transferred = await hall.AtCounterAsync(layout.CounterC, (d, a, id) => d.TransferAsync(a, id, layout.ServiceA, null, CancellationToken.None));
        var next = await hall.CallNextAsync(layout.CounterA);

        Assert.Equal(OutcomeKind.Ok, transferred.Kind);
        Assert.Null(transferred.Value!.CurrentTicket);
        Assert.Equal(early.Number, next.Value!.CurrentTicket!.Number);
        Assert.Equal("Deposits", next.Value.CurrentTicket.ServiceName);
        var ticket = await hall.TicketAsync(early.TicketId);
        Assert.Equal(QueueHarness.DefaultStart.UtcDateTime, ticket.ArrivedAt);
        Assert.Contains(await hall.HistoryAsync(early.TicketId), e => e.Kind == TicketEventKind.Transferred && e.ServiceId == layout.ServiceA);
        Assert.NotEqual(laterDeposit.Number, next.Value.CurrentTicket.Number);
    }

    [Fact]
    public async Task A_ticket_transferred_to_a_counter_is_called_only_there()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var ticket = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.CallNextAsync(layout.CounterA);
        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.TransferAsync(a, id, null, layout.CounterC, CancellationToken.None));

        var elsewhere = await hall.CallNextAsync(layout.CounterAb);
        var target = await hall.CallNextAsync(layout.CounterC);

        Assert.Equal(OutcomeKind.Conflict, elsewhere.Kind);
        Assert.Equal(ticket.Number, target.Value!.CurrentTicket!.Number);
        // Taken there, it is no longer meant for one counter: every column a call writes is stored.
        var stored = await hall.TicketAsync(ticket.TicketId);
        Assert.Equal(TicketStatus.Called, stored.Status);
        Assert.Equal(layout.CounterC, stored.CounterId);
        Assert.Null(stored.TargetCounterId);
        Assert.Equal(hall.Time.GetUtcNow().UtcDateTime, stored.CalledAt);
        Assert.Null(stored.StartedAt);
        Assert.Equal(QueueHarness.Staff.ActorId, stored.StaffMemberId);
        await hall.AtCounterAsync(layout.CounterC, (d, a, id) => d.ReturnToQueueAsync(a, id, CancellationToken.None));
        Assert.Equal(ticket.Number, (await hall.CallNextAsync(layout.CounterAb)).Value!.CurrentTicket!.Number);
    }

    [Fact]
    public async Task Returning_a_ticket_to_the_queue_puts_it_behind_those_already_waiting()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var first = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        hall.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.CallNextAsync(layout.CounterA);
        hall.Time.Advance(TimeSpan.FromMinutes(1));

        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.ReturnToQueueAsync(a, id, CancellationToken.None));
        var next = await hall.CallNextAsync(layout.CounterA);

        var state = await hall.InScopeAsync(s => s.GetRequiredCounterDesk().GetStateAsync(QueueHarness.Staff, layout.CounterA, CancellationToken.None));
        Assert.Equal(second.Number, next.Value!.CurrentTicket!.Number);
        Assert.Equal(first.Number, Assert.Single(state!.Waiting).Number);
    }

    [Fact]
    public async Task People_ahead_counts_the_tickets_the_rule_calls_first()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        var normal = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        var priority = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA, TicketPriority.Priority);

        Assert.Equal(2, normal.PeopleAhead);
        Assert.Equal(0, priority.PeopleAhead);
        var again = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().GetTicketAsync(normal.TrackerToken, CancellationToken.None));
        Assert.Equal(3, again!.Value.View.PeopleAhead);
    }
}
