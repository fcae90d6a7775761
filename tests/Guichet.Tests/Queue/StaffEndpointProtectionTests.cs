using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Tests.Queue;

public sealed class StaffEndpointProtectionTests
{
    public static TheoryData<string, string> StaffEndpoints => new()
    {
        { "GET", "/api/v1/branches/{branch}/counters" },
        { "GET", "/api/v1/counters/{counter}" },
        { "GET", "/api/v1/counters/{counter}/events" },
        { "POST", "/api/v1/counters/{counter}/call-next" },
        { "POST", "/api/v1/counters/{counter}/recall" },
        { "POST", "/api/v1/counters/{counter}/start" },
        { "POST", "/api/v1/counters/{counter}/complete" },
        { "POST", "/api/v1/counters/{counter}/no-show" },
        { "POST", "/api/v1/counters/{counter}/transfer" },
        { "POST", "/api/v1/counters/{counter}/return-to-queue" },
        { "POST", "/api/v1/counters/{counter}/suspend" },
        { "POST", "/api/v1/counters/{counter}/resume/{ticket}" },
        { "POST", "/api/v1/counters/{counter}/pause" },
        { "POST", "/api/v1/counters/{counter}/resume-counter" },
    };

    [Theory]
    [MemberData(nameof(StaffEndpoints))]
    public async Task Anonymous_callers_get_401_from_every_counter_endpoint_and_nothing_changes(string method, string template)
    {
        await using var server = await QueueApiHost.StartAsync(withStaffPolicies: true);
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        using var issued = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });
        var counterId = await QueueApiTests.WithDbAsync(server, db => db.Counters.FirstAsync());
        var path = template.Replace("{branch}", branchId.ToString(), StringComparison.Ordinal)
            .Replace("{counter}", counterId.Id.ToString(), StringComparison.Ordinal)
            .Replace("{ticket}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var state = await QueueApiTests.WithDbAsync(server, db => db.Tickets.SingleAsync());
        Assert.Equal(Guichet.Queueing.Domain.TicketStatus.Waiting, state.Status);
    }
}
