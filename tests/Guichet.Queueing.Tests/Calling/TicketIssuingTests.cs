using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Tests.Infrastructure;

namespace Guichet.Queueing.Tests.Calling;

public sealed class TicketIssuingTests
{
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
    public async Task Tracker_tokens_are_128_random_bits_in_base64url_and_open_the_ticket()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();

        var tokens = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
            Assert.Equal(22, issued.TrackerToken.Length);
            Assert.Equal(16, Convert.FromBase64String(issued.TrackerToken.Replace('-', '+').Replace('_', '/') + "==").Length);
            Assert.Equal($"/t/{issued.TrackerToken}", issued.TrackerUrl);
            Assert.True(tokens.Add(issued.TrackerToken));
        }

        var view = await hall.InScopeAsync(s => s.GetRequiredServiceDesk().GetTicketAsync(tokens.First(), CancellationToken.None));
        Assert.Equal("A001", view!.Value.View.Number);
        Assert.Equal(TicketStatus.Waiting, view.Value.View.Status);
        Assert.Null(await hall.InScopeAsync(s => s.GetRequiredServiceDesk().GetTicketAsync("AAAAAAAAAAAAAAAAAAAAAA", CancellationToken.None)));
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
}

internal static class ServiceProviderExtensions
{
    public static TicketDesk GetRequiredServiceDesk(this IServiceProvider services) =>
        (TicketDesk)services.GetService(typeof(TicketDesk))!;
}
