using Guichet.Privacy;
using Guichet.Privacy.Storage;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Tests.Infrastructure;
using Guichet.Queueing.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Calling;

[Collection(PostgresServer.Name)]
public sealed class PostgresQueueTests(PostgresInstance postgres)
{
    [Fact]
    public async Task Two_instances_over_one_postgres_database_never_call_the_same_ticket()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var first = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);
        await using var second = await first.StartSiblingAsync();
        var layout = await first.SeedHallAsync();

        var called = await CallNextConcurrencyTests.RaceAsync([first, second], layout);

        CallNextConcurrencyTests.AssertEveryTicketCalledOnce(called);
    }

    [Fact]
    public async Task Tickets_issued_concurrently_from_two_instances_get_distinct_numbers()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var first = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);
        await using var second = await first.StartSiblingAsync();
        var layout = await first.SeedHallAsync();

        var issued = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).IssueOkAsync(layout.BranchId, layout.ServiceA))));

        Assert.Equal(40, issued.Select(t => t.Number).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Enumerable.Range(1, 40).Select(n => $"A{n:D3}"), issued.Select(t => t.Number).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_issued_ticket_is_stored_as_SaveChanges_would_store_it_on_postgres()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var hall = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);

        await StoredTicketRows.AssertIssuedAsSaveChangesWouldStoreAsync(hall);
    }

    [Fact]
    public async Task Several_tickets_go_through_one_prepared_insert_on_postgres()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var hall = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);

        await StoredTicketRows.AssertSeveralRowsInOneTransactionAsync(hall);
    }

    [Fact]
    public async Task A_list_in_a_query_goes_as_one_parameter_on_postgres()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var hall = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);

        var sql = await ListParameterTests.SqlOfServiceListQueryAsync(hall);

        Assert.Contains("= ANY (@services)", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_display_board_lists_the_calls_on_postgres()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var hall = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);
        var layout = await hall.SeedHallAsync();
        var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);
        await hall.CallNextAsync(layout.CounterA);
        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.RecallAsync(a, id, CancellationToken.None));

        // The kinds of event that count as calls go to the database as one array parameter.
        var display = await hall.InScopeAsync(provider => provider.GetRequiredService<TicketDesk>().DisplayAsync(layout.BranchId, CancellationToken.None));

        Assert.Equal([true, false], display!.RecentCalls.Select(c => c.IsRecall));
        Assert.All(display.RecentCalls, c => Assert.Equal(issued.Number, c.Number));
    }

    [Fact]
    public async Task A_counter_is_found_only_within_the_staff_members_branches_on_postgres()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var hall = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);
        var layout = await hall.SeedHallAsync();
        var here = new StaffActor(new BranchScope(false, [layout.BranchId]), "staff-test-1");
        var elsewhere = new StaffActor(new BranchScope(false, [Guid.NewGuid(), Guid.NewGuid()]), "staff-test-2");

        // The staff member's branches go to the database as one array parameter.
        var seen = await hall.InScopeAsync(provider => provider.GetRequiredService<CounterDesk>().GetStateAsync(here, layout.CounterA, CancellationToken.None));
        var unseen = await hall.InScopeAsync(provider => provider.GetRequiredService<CounterDesk>().GetStateAsync(elsewhere, layout.CounterA, CancellationToken.None));

        Assert.Equal(layout.CounterA, seen?.Id);
        Assert.Null(unseen);
    }

    [Fact]
    public async Task A_full_visit_and_transfer_work_on_postgres()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var hall = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);
        var layout = await hall.SeedHallAsync();
        var ticket = await hall.IssueOkAsync(layout.BranchId, layout.ServiceC);
        await hall.CallNextAsync(layout.CounterC);
        await hall.AtCounterAsync(layout.CounterC, (d, a, id) => d.TransferAsync(a, id, layout.ServiceA, null, CancellationToken.None));

        var called = await hall.CallNextAsync(layout.CounterA);
        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.StartAsync(a, id, CancellationToken.None));
        var done = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.CompleteAsync(a, id, CancellationToken.None));

        Assert.Equal(ticket.Number, called.Value!.CurrentTicket!.Number);
        Assert.Equal(OutcomeKind.Ok, done.Kind);
        Assert.Equal(Guichet.Queueing.Domain.TicketStatus.Done, (await hall.TicketAsync(ticket.TicketId)).Status);
        Assert.Equal(
            ["Issued", "Called", "Transferred", "Called", "Started", "Completed"],
            (await hall.HistoryAsync(ticket.TicketId)).Select(e => e.Kind.ToString()));
    }

    [Fact]
    public async Task A_new_customers_name_is_protected_under_a_key_made_in_the_postgres_key_ring()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var hall = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres);
        await PrivacyModule.MigrateAsync(hall.Services, CancellationToken.None);
        var layout = await hall.SeedHallAsync();

        // A desk ticket with a name: a new data subject, whose key is made (in advance, with
        // others) by the key ring's own statements in PostgreSQL.
        var issued = await hall.InScopeAsync(s => s.GetRequiredService<TicketDesk>().IssueForStaffAsync(
            QueueHarness.Staff, layout.BranchId, layout.ServiceA, null, CancellationToken.None, "Test Person"));
        var state = await hall.CallNextAsync(layout.CounterA);

        Assert.Equal(OutcomeKind.Ok, issued.Kind);
        Assert.Equal("T. P*****", state.Value!.CurrentTicket!.MaskedName);
        Assert.NotNull((await hall.TicketAsync(issued.Value!.TicketId)).CustomerSubjectId);
    }

    [Fact]
    public async Task Serving_refuses_to_start_on_a_postgres_database_with_pending_migrations()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var hall = await QueueHarness.StartAsync(connection, DatabaseProvider.Postgres, migrate: false);

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => QueueingModule.PrepareStorageAsync(hall.Services, CancellationToken.None));
        Assert.Contains("guichet db migrate", refusal.Message, StringComparison.Ordinal);

        Assert.True(await QueueingModule.MigrateAsync(hall.Services, CancellationToken.None) >= 1);
        await QueueingModule.PrepareStorageAsync(hall.Services, CancellationToken.None);
        Assert.Equal(0, await QueueingModule.MigrateAsync(hall.Services, CancellationToken.None));
    }
}
