using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Guichet.Tests.Queue;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Ticket_creation_past_the_per_address_limit_gets_a_429_problem()
    {
        await using var server = await QueueApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Queueing:KioskTicketsPerMinute"] = "2",
            ["Queueing:OnlineTicketsPerHour"] = "100",
        });
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("application/problem+json", last!.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, await QueueApiTests.CountTicketsAsync(server));
        last.Dispose();
    }

    [Fact]
    public async Task The_online_channel_has_its_own_stricter_limit()
    {
        await using var server = await QueueApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Queueing:KioskTicketsPerMinute"] = "100",
            ["Queueing:OnlineTicketsPerHour"] = "1",
        });
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);

        using var online1 = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "online" });
        using var online2 = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "online" });
        using var kiosk = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });

        Assert.Equal(HttpStatusCode.Created, online1.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, online2.StatusCode);
        Assert.Contains("wait", (await online2.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, kiosk.StatusCode);
    }
}
