using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Calling;

public sealed class TicketIssuingTests
{
    [Fact]
    public async Task An_issued_ticket_is_stored_as_SaveChanges_would_store_it()
    {
        await using var hall = await QueueHarness.StartAsync();

        await StoredTicketRows.AssertIssuedAsSaveChangesWouldStoreAsync(hall);
    }

    [Fact]
    public async Task Several_tickets_go_through_one_prepared_insert()
    {
        await using var hall = await QueueHarness.StartAsync();

        await StoredTicketRows.AssertSeveralRowsInOneTransactionAsync(hall);
    }

    [Fact]
    public async Task Numbers_count_up_per_service_with_the_service_prefix()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();

        var first = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        var second = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        var otherService = await hall.IssueOkAsync(layout.BranchId, layout.ServiceB);

        Assert.Equal("A001", first.Number);
        Assert.Equal("A002", second.Number);
        Assert.Equal("B001", otherService.Number);
        Assert.Equal(1, second.PeopleAhead);
        Assert.Equal("Deposits", first.ServiceName);
    }

    [Fact]
    public async Task Numbering_restarts_on_the_branch_local_day_not_the_server_day()
    {
        // Shanghai is UTC+8: 15:30 UTC is 23:30 local, 16:30 UTC is 00:30 the next local day.
        await using var hall = await QueueHarness.StartAsync(time: new(new DateTimeOffset(2026, 3, 2, 15, 30, 0, TimeSpan.Zero)));
        var layout = await hall.SeedHallAsync(timeZone: "Asia/Shanghai");

        var lateEvening = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        hall.Time.Advance(TimeSpan.FromHours(1));
        var nextMorning = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        Assert.Equal("A001", lateEvening.Number);
        Assert.Equal("A001", nextMorning.Number);
        var ticket = await hall.TicketAsync(nextMorning.TicketId);
        Assert.Equal(new DateOnly(2026, 3, 3), ticket.ServiceDay);
    }

    [Fact]
    public async Task Outside_service_hours_nothing_is_issued_and_the_reason_is_plain()
    {
        await using var hall = await QueueHarness.StartAsync(); // Monday 10:00 UTC
        var layout = await hall.SeedHallAsync(serviceHours: WeeklyHours.Parse("mon=13:00-17:00"));

        var outcome = await hall.IssueAsync(layout.BranchId, layout.ServiceA);

        Assert.Equal(OutcomeKind.Unprocessable, outcome.Kind);
        Assert.Contains("closed", outcome.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await hall.CountTicketsAsync());
    }

    [Fact]
    public async Task A_closed_branch_issues_nothing_even_if_the_service_hours_would_allow_it()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync(hours: WeeklyHours.Parse("tue=08:00-17:00"));

        var outcome = await hall.IssueAsync(layout.BranchId, layout.ServiceA);

        Assert.Equal(OutcomeKind.Unprocessable, outcome.Kind);
        Assert.Equal(0, await hall.CountTicketsAsync());
    }

    [Fact]
    public async Task Past_the_daily_cap_nothing_is_issued()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync(dailyCap: 2);
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        var third = await hall.IssueAsync(layout.BranchId, layout.ServiceA);

        Assert.Equal(OutcomeKind.Unprocessable, third.Kind);
        Assert.Contains("today", third.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, await hall.CountTicketsAsync());
    }

    [Fact]
    public async Task An_unknown_service_or_one_of_another_branch_is_not_found()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var other = await hall.SeedHallAsync();

        Assert.Equal(OutcomeKind.NotFound, (await hall.IssueAsync(layout.BranchId, Guid.NewGuid())).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await hall.IssueAsync(layout.BranchId, other.ServiceA)).Kind);
        Assert.Equal(0, await hall.CountTicketsAsync());
    }

    [Fact]
    public async Task Tracker_tokens_are_128_random_bits_after_a_time_part_that_sorts_them_by_issue_and_open_the_ticket()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();

        var tokens = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            // Twice in the same millisecond, then later: the random part alone tells those two apart.
            hall.Time.Advance(TimeSpan.FromMilliseconds(i % 2 == 0 ? 0 : 1));
            var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
            Assert.Equal(29, issued.TrackerToken.Length);
            Assert.Equal(16, Convert.FromBase64String(issued.TrackerToken[7..].Replace('-', '+').Replace('_', '/') + "==").Length);
            Assert.Equal($"/t/{issued.TrackerToken}", issued.TrackerUrl);
            tokens.Add(issued.TrackerToken);
        }

        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
        // Issued later sorts later, so the token index grows at its end.
        for (var i = 2; i < tokens.Count; i += 2)
        {
            Assert.True(string.CompareOrdinal(tokens[i - 2][..7], tokens[i][..7]) < 0, $"token {i} does not sort after token {i - 2}");
        }

        var view = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().GetTicketAsync(tokens.First(), CancellationToken.None));
        Assert.Equal("A001", view!.Value.View.Number);
        Assert.Equal(TicketStatus.Waiting, view.Value.View.Status);
        Assert.Null(await hall.InScopeAsync(s => s.GetRequiredServiceDesk().GetTicketAsync("AAAAAAAAAAAAAAAAAAAAAA", CancellationToken.None)));

        // A ticket issued before tokens had a time part keeps its 22-character link.
        const string firstFormat = "q1w2e3r4t5y6u7i8o9p0-_";
        await hall.InScopeAsync(s => s.GetRequiredService<QueueingDbContext>().Tickets
            .Where(t => t.TrackerToken == tokens[1]).ExecuteUpdateAsync(u => u.SetProperty(t => t.TrackerToken, firstFormat)));
        var old = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().GetTicketAsync(firstFormat, CancellationToken.None));
        Assert.Equal("A002", old!.Value.View.Number);
    }

    [Fact]
    public async Task Staff_issue_priority_tickets_only_in_their_branches()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var other = await hall.SeedHallAsync();
        var staff = new StaffActor(BranchScope.Of(layout.BranchId), "staff-test-3");

        var issued = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().IssueForStaffAsync(staff, layout.BranchId, layout.ServiceA, PriorityReason.Disability, CancellationToken.None));
        var outside = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().IssueForStaffAsync(staff, other.BranchId, other.ServiceA, null, CancellationToken.None));

        Assert.Equal(OutcomeKind.NotFound, outside.Kind);
        var ticket = await hall.TicketAsync(issued.Value!.TicketId);
        Assert.Equal(TicketChannel.Staff, ticket.Channel);
        Assert.Equal(TicketPriority.Priority, ticket.Priority);
        Assert.Equal(PriorityReason.Disability, ticket.PriorityReason);
        Assert.Equal("staff-test-3", ticket.StaffMemberId);
        Assert.Equal(1, await hall.CountTicketsAsync());
    }

    [Fact]
    public async Task Issuing_records_the_issued_event_with_its_time()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();

        var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        var history = await hall.HistoryAsync(issued.TicketId);
        var only = Assert.Single(history);
        Assert.Equal(TicketEventKind.Issued, only.Kind);
        Assert.Equal(QueueHarness.DefaultStart.UtcDateTime, only.OccurredAt);
        Assert.Equal(DateTimeKind.Utc, only.OccurredAt.Kind);
    }

    [Fact]
    public async Task Tickets_taken_at_the_same_moment_get_every_number_once_and_a_true_count_of_people_ahead()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();

        // Each wave is issued at once, so that its tickets share write batches.
        var normal = await IssueTogetherAsync(hall, layout, Enumerable.Repeat(TicketPriority.Normal, 40));
        Assert.Equal(Enumerable.Range(0, 40), normal.Select(t => t.PeopleAhead).Order());
        await AssertTrackersAgreeAsync(hall, normal);

        var priority = await IssueTogetherAsync(hall, layout, Enumerable.Repeat(TicketPriority.Priority, 20));
        Assert.Equal(Enumerable.Range(0, 20), priority.Select(t => t.PeopleAhead).Order());
        await AssertTrackersAgreeAsync(hall, priority);

        var mixed = await IssueTogetherAsync(hall, layout, Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? TicketPriority.Priority : TicketPriority.Normal));
        var mixedPriority = mixed.Where((_, i) => i % 2 == 0).ToList();
        Assert.Equal(Enumerable.Range(20, 10), mixedPriority.Select(t => t.PeopleAhead).Order());
        await AssertTrackersAgreeAsync(hall, mixedPriority);
        foreach (var late in mixed.Where((_, i) => i % 2 == 1))
        {
            // Everyone who waited before the wave, plus those of the wave written with or before it.
            Assert.InRange(late.PeopleAhead, 60, 79);
        }

        var numbers = normal.Concat(priority).Concat(mixed).Select(t => t.Number).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(1, 80).Select(n => $"A{n:D3}"), numbers);
        Assert.Equal(80, await hall.CountTicketsAsync());
    }

    [Fact]
    public async Task Beyond_the_counting_bound_a_customer_is_told_that_many_or_more_ahead()
    {
        await using var hall = await QueueHarness.StartAsync(configure: s => s.Configure<QueueingOptions>(o => o.CountWaitingUpTo = 10));
        var layout = await hall.SeedHallAsync();
        var tickets = new List<TicketIssuedView>();
        for (var i = 0; i < 12; i++)
        {
            tickets.Add(await hall.IssueOkAsync(layout.BranchId, layout.ServiceA));
        }

        Assert.Equal((9, false), (tickets[9].PeopleAhead, tickets[9].PeopleAheadAtLeast));
        Assert.Equal((10, true), (tickets[10].PeopleAhead, tickets[10].PeopleAheadAtLeast));
        Assert.Equal((10, true), (tickets[11].PeopleAhead, tickets[11].PeopleAheadAtLeast));
        // The estimate is a floor too: ten people ahead at the service's default minutes.
        Assert.Equal(tickets[10].EstimatedWaitMinutes, tickets[11].EstimatedWaitMinutes);

        var first = await TrackAsync(hall, tickets[0]);
        var last = await TrackAsync(hall, tickets[11]);
        Assert.Equal((0, false), (first.PeopleAhead, first.PeopleAheadAtLeast));
        Assert.Equal((10, true), (last.PeopleAhead, last.PeopleAheadAtLeast));

        // A priority ticket goes before all twelve, and is told so exactly.
        var priority = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA, TicketPriority.Priority);
        Assert.Equal((0, false), (priority.PeopleAhead, priority.PeopleAheadAtLeast));

        var services = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().ListServicesAsync(layout.BranchId, CancellationToken.None));
        var serviceA = Assert.Single(services!, v => v.Id == layout.ServiceA);
        Assert.Equal((10, true), (serviceA.Waiting, serviceA.WaitingAtLeast));
        var serviceB = Assert.Single(services!, v => v.Id == layout.ServiceB);
        Assert.Equal((0, false), (serviceB.Waiting, serviceB.WaitingAtLeast));
    }

    private static async Task<TicketView> TrackAsync(QueueHarness hall, TicketIssuedView ticket) =>
        (await hall.InScopeAsync(s => s.GetRequiredServiceDesk().GetTicketAsync(ticket.TrackerToken, CancellationToken.None)))!.Value.View;

    private static async Task<List<TicketIssuedView>> IssueTogetherAsync(QueueHarness hall, HallLayout layout, IEnumerable<TicketPriority> priorities) =>
        [.. await Task.WhenAll(priorities.Select(p => Task.Run(() => hall.IssueOkAsync(layout.BranchId, layout.ServiceA, p))))];

    // What the tracker says now is what each ticket was told: nobody has joined ahead of them since.
    private static async Task AssertTrackersAgreeAsync(QueueHarness hall, IEnumerable<TicketIssuedView> tickets)
    {
        foreach (var ticket in tickets)
        {
            var tracked = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().GetTicketAsync(ticket.TrackerToken, CancellationToken.None));
            Assert.Equal(tracked!.Value.View.PeopleAhead, ticket.PeopleAhead);
        }
    }
}

internal static class ServiceProviderExtensions
{
    public static TicketDesk GetRequiredServiceDesk(this IServiceProvider services) =>
        (TicketDesk)services.GetService(typeof(TicketDesk))!;
}
