using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Privacy.Access;
using Guichet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Tests.Queue;

/// <summary>A staff change (a counter action, a configuration change) and its ledger entry are written in one transaction.</summary>
public sealed class CounterLedgerTests
{
    [Fact]
    public async Task A_call_and_its_ledger_entry_are_committed_together()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, counterId, counterStaff) = await HallWithOneTicketAsync(server, client);

        using var call = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", counterStaff, new { });
        var ticketId = (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentTicket").GetProperty("ticketId").GetString();

        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var entries = await DatabaseFile.QueryAsync(server, "SELECT resource_type || ':' || resource_id || ':' || branch_id FROM audit_entries WHERE action = 'queue.ticket.call'");
        Assert.Equal([$"ticket:{ticketId}:{branchId}"], entries);
    }

    [Fact]
    public async Task When_the_ledger_cannot_write_a_counter_action_answers_503_and_changes_nothing()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (_, counterId, counterStaff) = await HallWithOneTicketAsync(server, client);
        await DatabaseFile.QueryAsync(server, "CREATE TRIGGER test_refuse_entries BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'ledger unavailable'); END");

        using var refused = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", counterStaff, new { });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        await DatabaseFile.QueryAsync(server, "DROP TRIGGER test_refuse_entries");
        using var state = await ConfigurationApiTests.SendAsync(client, HttpMethod.Get, $"/api/v1/counters/{counterId}", counterStaff, null);
        var afterRefusal = await state.Content.ReadFromJsonAsync<JsonElement>();
        var callEntries = await DatabaseFile.QueryAsync(server, "SELECT action FROM audit_entries WHERE action = 'queue.ticket.call'");
        using var call = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", counterStaff, new { });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("nothing was done", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, afterRefusal.GetProperty("currentTicket").ValueKind);
        Assert.Equal(["A001"], afterRefusal.GetProperty("waiting").EnumerateArray().Select(t => t.GetProperty("number").GetString()));
        Assert.Empty(callEntries);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("A001", (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentTicket").GetProperty("number").GetString());
    }

    [Fact]
    public async Task When_the_ledger_cannot_write_a_configuration_change_answers_503_and_is_not_made()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        var manager = await ConfigurationApiTests.ApiKeyAsync(server, StaffRole.BranchManager, branchId);
        var counter = new { name = "Test window 77", windowNumber = 77, serviceIds = new[] { services["A"] } };
        await DatabaseFile.QueryAsync(server, "CREATE TRIGGER test_refuse_entries BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'ledger unavailable'); END");

        using var refused = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/counters", manager, counter);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var windows = await DatabaseFile.QueryAsync(server, "SELECT CAST(WindowNumber AS TEXT) FROM queue_counters WHERE WindowNumber = 77");
        await DatabaseFile.QueryAsync(server, "DROP TRIGGER test_refuse_entries");
        using var created = await ConfigurationApiTests.SendAsync(client, HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/counters", manager, counter);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("not made", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(windows);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal([$"counter:{id}"], await DatabaseFile.QueryAsync(server, "SELECT resource_type || ':' || resource_id FROM audit_entries WHERE action = 'queue.counter.created'"));
    }

    private static async Task<(Guid BranchId, Guid CounterId, string CounterStaff)> HallWithOneTicketAsync(GuichetServer server, HttpClient client)
    {
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        using var ticket = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });
        Assert.Equal(HttpStatusCode.Created, ticket.StatusCode);
        var counterStaff = await ConfigurationApiTests.ApiKeyAsync(server, StaffRole.CounterStaff, branchId);
        var counterId = (await QueueApiTests.WithDbAsync(server, db => db.Counters.OrderBy(c => c.WindowNumber).FirstAsync())).Id;
        return (branchId, counterId, counterStaff);
    }
}
