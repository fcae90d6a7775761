using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Queue;

public sealed class QueueApiTests
{
    [Fact]
    public async Task The_demo_hall_lists_its_branch_and_services_with_waits_and_phone_purpose()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();

        var branches = await client.GetFromJsonAsync<JsonElement>("/api/v1/branches");
        var branch = Assert.Single(branches.EnumerateArray());
        Assert.True(branch.GetProperty("isOpenNow").GetBoolean());
        var services = await client.GetFromJsonAsync<JsonElement>($"/api/v1/branches/{branch.GetProperty("id").GetGuid()}/services");

        Assert.Equal(["A", "B", "C"], services.EnumerateArray().Select(s => s.GetProperty("prefix").GetString()));
        var loans = services[1];
        Assert.True(loans.GetProperty("collectsPhone").GetBoolean());
        Assert.Equal("tell you when your turn is near", loans.GetProperty("phonePurpose").GetString());
        Assert.Equal(0, loans.GetProperty("waiting").GetInt32());
        Assert.Equal(0, loans.GetProperty("estimatedWaitMinutes").GetInt32());
    }

    [Fact]
    public async Task A_kiosk_ticket_is_created_and_read_back_by_its_tracker_token()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);

        await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });
        using var created = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk", phone = (string?)null });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ticket = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("A002", ticket.GetProperty("number").GetString());
        Assert.Equal("Deposits", ticket.GetProperty("serviceName").GetString());
        Assert.Equal(1, ticket.GetProperty("peopleAhead").GetInt32());
        Assert.False(ticket.GetProperty("peopleAheadAtLeast").GetBoolean());
        var token = ticket.GetProperty("trackerToken").GetString()!;
        Assert.Equal($"/t/{token}", ticket.GetProperty("trackerUrl").GetString());
        Assert.EndsWith("Z", ticket.GetProperty("issuedAt").GetString(), StringComparison.Ordinal);
        Assert.Equal($"/api/v1/tickets/{token}", created.Headers.Location?.OriginalString);

        var tracked = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{token}");
        Assert.Equal("A002", tracked.GetProperty("number").GetString());
        Assert.Equal("waiting", tracked.GetProperty("status").GetString());
        Assert.Equal(1, tracked.GetProperty("peopleAhead").GetInt32());
        Assert.Equal(
            ["number", "serviceName", "status", "peopleAhead", "peopleAheadAtLeast", "estimatedWaitMinutes", "counterName", "windowNumber"],
            tracked.EnumerateObject().Select(p => p.Name));
    }

    public static TheoryData<string, string> BadTicketRequests => new()
    {
        { """{"serviceId":"{A}","channel":"kiosk","phone":"+86 138 0013 8000"}""", "phone" },
        { """{"serviceId":"not-a-guid","channel":"kiosk"}""", "serviceId" },
        { """{"serviceId":"{A}"}""", "channel" },
        { """{"serviceId":"{A}","channel":"staff"}""", "channel" },
        { """{"serviceId":"{A}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","channel":"kiosk"}""", "serviceId" },
        { """{"channel":"kiosk"}""", "serviceId" },
    };

    [Theory]
    [MemberData(nameof(BadTicketRequests))]
    public async Task Bad_ticket_requests_get_a_400_problem_naming_the_field_and_issue_nothing(string body, string field)
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);

        using var content = new StringContent(body.Replace("{A}", services["A"].ToString(), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"/api/v1/branches/{branchId}/tickets", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.DoesNotContain("0013 8000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountTicketsAsync(server));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, _) = await QueueApiHost.DemoHallAsync(client);

        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"/api/v1/branches/{branchId}/tickets", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountTicketsAsync(server));
    }

    [Fact]
    public async Task Unknown_branch_service_or_tracker_token_is_a_404_problem()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);

        using var unknownService = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = Guid.NewGuid(), channel = "kiosk" });
        using var unknownBranch = await QueueApiHost.TakeTicketAsync(client, Guid.NewGuid(), new { serviceId = services["A"], channel = "kiosk" });
        using var servicesOfNowhere = await client.GetAsync(new Uri($"/api/v1/branches/{Guid.NewGuid()}/services", UriKind.Relative));
        using var token = await client.GetAsync(new Uri("/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAA", UriKind.Relative));
        using var display = await client.GetAsync(new Uri($"/api/v1/branches/{Guid.NewGuid()}/display", UriKind.Relative));

        Assert.All([unknownService, unknownBranch, servicesOfNowhere, token, display], r =>
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        });
        Assert.Equal(0, await CountTicketsAsync(server));
    }

    [Fact]
    public async Task Outside_service_hours_the_kiosk_gets_a_422_with_a_plain_reason_and_no_ticket()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        await WithDbAsync(server, async db =>
        {
            var enquiries = await db.Services.SingleAsync(s => s.Id == services["C"]);
            enquiries.ServiceHours = WeeklyHours.Parse(""); // closed every day
            await db.SaveChangesAsync();
        });

        using var response = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["C"], channel = "kiosk" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Enquiries is closed at this time. Please come back during service hours.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await CountTicketsAsync(server));
    }

    [Fact]
    public async Task Past_the_daily_cap_the_kiosk_gets_a_422_and_no_ticket()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        await WithDbAsync(server, async db =>
        {
            (await db.Services.SingleAsync(s => s.Id == services["A"])).DailyCap = 1;
            await db.SaveChangesAsync();
        });

        using var first = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "kiosk" });
        using var second = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["A"], channel = "online" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Contains("all of today's tickets", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await CountTicketsAsync(server));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_queue_api()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/v1/branches", "/api/v1/branches/{branchId}/services", "/api/v1/branches/{branchId}/tickets", "/api/v1/tickets/{trackerToken}",
            "/api/v1/tickets/{trackerToken}/events", "/api/v1/branches/{branchId}/display", "/api/v1/branches/{branchId}/display/events",
            "/api/v1/counters/{counterId}/call-next", "/api/v1/counters/{counterId}/transfer", "/api/v1/counters/{counterId}/resume/{ticketId}",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    internal static Task<int> CountTicketsAsync(Guichet.Tests.Infrastructure.GuichetServer server) =>
        WithDbAsync(server, db => db.Tickets.CountAsync());

    internal static async Task<T> WithDbAsync<T>(Guichet.Tests.Infrastructure.GuichetServer server, Func<QueueingDbContext, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<QueueingDbContext>());
    }

    internal static async Task WithDbAsync(Guichet.Tests.Infrastructure.GuichetServer server, Func<QueueingDbContext, Task> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<QueueingDbContext>());
    }
}
