using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guichet.Identity.ApiKeys;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Queue;

/// <summary>The configuration API over a real socket, authorised as integrations and staff are.</summary>
public sealed class ConfigurationApiTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private static Task<GuichetServer> StartAsync(RecordingAuditTrail? audit = null) =>
        QueueApiHost.StartAsync(configure: builder =>
        {
            if (audit is not null)
            {
                // Changes write their entries in their own transaction; recorded after it here.
                builder.Services.AddSingleton<IAuditTrail>(audit);
                builder.Services.AddSingleton<IAuditTrailInTransaction>(new AfterCommitAuditTrail(audit));
            }
        });

    internal static async Task<string> ApiKeyAsync(GuichetServer server, StaffRole role, Guid branchId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyRegistry>().CreateAsync($"test-{role}", role, branchId.ToString(), null, AuditActor.System);
        return key.Key;
    }

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? apiKey, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        }

        if (body is not null)
        {
            request.Content = body is string text ? new StringContent(text, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }

    private static async Task<Guid> CreatedIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_branch_manager_api_key_adds_a_service_and_a_counter_that_then_issue_and_call_tickets()
    {
        var audit = new RecordingAuditTrail();
        await using var server = await StartAsync(audit);
        using var client = server.CreateClient();
        var (branchId, _) = await QueueApiHost.DemoHallAsync(client);
        var manager = await ApiKeyAsync(server, StaffRole.BranchManager, branchId);
        var counterStaff = await ApiKeyAsync(server, StaffRole.CounterStaff, branchId);

        // The load driver's bodies (bench/Guichet.LoadDriver/StaffApi.cs).
        using var serviceResponse = await SendAsync(client, HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/services", manager, new
        {
            name = "Bench Z",
            businessType = "Bench",
            prefix = "Z",
            dailyCap = 1_000_000,
            waitingWarningLevel = 1_000_000,
            collectsPhone = true,
            phonePurpose = "tell you when your turn is near",
        });
        var serviceId = await CreatedIdAsync(serviceResponse);
        using var counterResponse = await SendAsync(client, HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/counters", manager, new
        {
            name = "Bench window 101",
            windowNumber = 101,
            serviceIds = new[] { serviceId },
        });
        var counterId = await CreatedIdAsync(counterResponse);
        using var renamed = await SendAsync(client, HttpMethod.Put, $"/api/v1/configuration/services/{serviceId}", manager, new
        {
            name = "Bench Z renamed",
            businessType = "Bench",
            prefix = "ZZ",
            dailyCap = 50,
            waitingWarningLevel = 5,
            collectsPhone = false,
        });
        using var moved = await SendAsync(client, HttpMethod.Put, $"/api/v1/configuration/counters/{counterId}", manager, new
        {
            name = "Bench window 102",
            windowNumber = 102,
            serviceIds = new[] { serviceId },
        });
        using var createBranch = await SendAsync(client, HttpMethod.Post, "/api/v1/configuration/branches", manager, new { name = "Test Branch", timeZone = "Etc/UTC" });
        var listed = await (await SendAsync(client, HttpMethod.Get, "/api/v1/configuration/branches", manager, null)).Content.ReadFromJsonAsync<JsonElement>();
        using var ticket = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId, channel = "kiosk" });
        using var call = await SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", counterStaff, new { });

        Assert.Equal($"/api/v1/configuration/services/{serviceId}", serviceResponse.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("ZZ", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("prefix").GetString());
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, createBranch.StatusCode);
        var branch = Assert.Single(listed.EnumerateArray());
        Assert.Equal(4, branch.GetProperty("services").GetArrayLength());
        Assert.Contains(branch.GetProperty("counters").EnumerateArray(), c => c.GetProperty("windowNumber").GetInt32() == 102);
        Assert.False(branch.GetProperty("showMaskedNameOnDisplay").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("ZZ001", (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentTicket").GetProperty("number").GetString());
        var changes = audit.Events.Where(e => e.Action.StartsWith("queue.service.", StringComparison.Ordinal) || e.Action.StartsWith("queue.counter.c", StringComparison.Ordinal) || e.Action == "queue.counter.updated").ToList();
        Assert.Equal(["queue.service.created", "queue.counter.created", "queue.service.updated", "queue.counter.updated"], changes.Select(e => e.Action));
        Assert.All(changes, e => Assert.Equal(AuditActorKind.ApiClient, e.Actor.Kind));
        Assert.Equal([serviceId.ToString(), counterId.ToString()], changes.Take(2).Select(e => e.ResourceId));
    }

    [Fact]
    public async Task An_administrator_creates_a_branch_that_a_manager_of_another_branch_can_neither_see_nor_change()
    {
        var audit = new RecordingAuditTrail();
        await using var server = await StartAsync(audit);
        var (_, admin) = await server.CreateSignedInAsync(StaffRole.Administrator, GuichetClaimTypes.AllBranches);
        using var anonymous = server.CreateClient();
        var (demoBranch, demoServices) = await QueueApiHost.DemoHallAsync(anonymous);
        var otherManager = await ApiKeyAsync(server, StaffRole.BranchManager, demoBranch);

        using var created = await SendAsync(admin, HttpMethod.Post, "/api/v1/configuration/branches", null, new
        {
            name = "Test Branch East",
            timeZone = "Asia/Shanghai",
            openingHours = "mon=00:00-24:00",
            showMaskedNameOnDisplay = true,
        });
        var branchId = await CreatedIdAsync(created);
        using var service = await SendAsync(admin, HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/services", null, new
        {
            name = "Deposits",
            businessType = "Retail",
            prefix = "A",
            dailyCap = 100,
            waitingWarningLevel = 5,
            collectsPhone = false,
        });
        var serviceId = await CreatedIdAsync(service);
        var before = await CountsAsync(server);

        var probes = new[]
        {
            await SendAsync(anonymous, HttpMethod.Put, $"/api/v1/configuration/branches/{branchId}", otherManager, new { name = "Taken Over", timeZone = "Etc/UTC" }),
            await SendAsync(anonymous, HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/services", otherManager, new { name = "X", businessType = "X", prefix = "X", dailyCap = 1, waitingWarningLevel = 1, collectsPhone = false }),
            await SendAsync(anonymous, HttpMethod.Put, $"/api/v1/configuration/services/{serviceId}", otherManager, new { name = "X", businessType = "X", prefix = "X", dailyCap = 1, waitingWarningLevel = 1, collectsPhone = false }),
            await SendAsync(anonymous, HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/counters", otherManager, new { name = "X", windowNumber = 9, serviceIds = new[] { serviceId } }),
        };
        var visible = await (await SendAsync(anonymous, HttpMethod.Get, "/api/v1/configuration/branches", otherManager, null)).Content.ReadFromJsonAsync<JsonElement>();
        var adminSees = await admin.GetFromJsonAsync<JsonElement>("/api/v1/configuration/branches");

        foreach (var probe in probes)
        {
            Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
            Assert.Equal("application/problem+json", probe.Content.Headers.ContentType?.MediaType);
            probe.Dispose();
        }

        Assert.Equal([demoBranch], visible.EnumerateArray().Select(b => b.GetProperty("id").GetGuid()));
        Assert.Equal(2, adminSees.GetArrayLength());
        Assert.Equal(before, await CountsAsync(server));
        Assert.Equal(["queue.branch.created", "queue.service.created"], audit.Events.Where(e => e.Action.StartsWith("queue.", StringComparison.Ordinal)).Select(e => e.Action));
        Assert.All(audit.Events.Where(e => e.Action.StartsWith("queue.", StringComparison.Ordinal)), e => Assert.Equal(AuditActorKind.Staff, e.Actor.Kind));
        Assert.NotEqual(Guid.Empty, demoServices["A"]);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "POST", "services", """{"name":"Deposits again","businessType":"Retail","prefix":"A","dailyCap":10,"waitingWarningLevel":1,"collectsPhone":false}""" },
        { "POST", "services", """{"name":"Three","businessType":"Retail","prefix":"ABC","dailyCap":10,"waitingWarningLevel":1,"collectsPhone":false}""" },
        { "POST", "services", """{"name":"Phone","businessType":"Retail","prefix":"P","dailyCap":10,"waitingWarningLevel":1,"collectsPhone":true}""" },
        { "POST", "services", """{"name":"Huge","businessType":"Retail","prefix":"H","dailyCap":2000000,"waitingWarningLevel":1,"collectsPhone":false}""" },
        { "POST", "counters", """{"name":"Window 1 again","windowNumber":1,"serviceIds":["{A}"]}""" },
        { "POST", "counters", """{"name":"Stranger","windowNumber":77,"serviceIds":["6c2b3c44-0000-4000-8000-000000000001"]}""" },
        { "PUT", "branch", """{"name":"","timeZone":"Nowhere/Land"}""" },
        { "PUT", "branch", """{"name":"Demo Branch","timeZone":"Etc/UTC","openingHours":"mon=9-5"}""" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_configuration_gets_a_validation_problem_and_changes_nothing(string method, string target, string body)
    {
        var audit = new RecordingAuditTrail();
        await using var server = await StartAsync(audit);
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        var manager = await ApiKeyAsync(server, StaffRole.BranchManager, branchId);
        var path = target == "branch" ? $"/api/v1/configuration/branches/{branchId}" : $"/api/v1/configuration/branches/{branchId}/{target}";
        var before = await CountsAsync(server);

        using var response = await SendAsync(client, new HttpMethod(method), path, manager, body.Replace("{A}", services["A"].ToString(), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(before, await CountsAsync(server));
        Assert.DoesNotContain(audit.Events, e => e.Action.StartsWith("queue.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_staff_ticket_with_a_name_shows_its_mask_on_the_display_board_and_stream_only_when_the_branch_says_so()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        var manager = await ApiKeyAsync(server, StaffRole.BranchManager, branchId);
        var counterStaff = await ApiKeyAsync(server, StaffRole.CounterStaff, branchId);
        var counterId = (await QueueApiTests.WithDbAsync(server, db => db.Counters.OrderBy(c => c.WindowNumber).FirstAsync())).Id;
        var zone = (await client.GetFromJsonAsync<JsonElement>("/api/v1/branches"))[0].GetProperty("timeZone").GetString();

        using var first = await SendAsync(client, HttpMethod.Post, $"/api/v1/branches/{branchId}/staff-tickets", counterStaff, new { serviceId = services["A"], customerName = "Test Person" });
        using var refused = await SendAsync(client, HttpMethod.Post, $"/api/v1/branches/{branchId}/staff-tickets", counterStaff, new { serviceId = services["A"], customerName = "Test\u0000Person" });
        using var hiddenCall = await SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", counterStaff, new { });
        var hidden = await client.GetFromJsonAsync<JsonElement>($"/api/v1/branches/{branchId}/display");
        using var settingOn = await SendAsync(client, HttpMethod.Put, $"/api/v1/configuration/branches/{branchId}", manager, new { name = "Demo Branch", timeZone = zone, showMaskedNameOnDisplay = true });
        using var second = await SendAsync(client, HttpMethod.Post, $"/api/v1/branches/{branchId}/staff-tickets", counterStaff, new { serviceId = services["A"], customerName = "张三" });
        using var guard = new CancellationTokenSource(HangGuard);
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/branches/{branchId}/display/events", guard.Token);
        using var done = await SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/no-show", counterStaff, new { });
        using var shownCall = await SendAsync(client, HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", counterStaff, new { });
        var (_, live) = await stream.NextEventAsync(guard.Token);
        var shown = await client.GetFromJsonAsync<JsonElement>($"/api/v1/branches/{branchId}/display");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain("Test", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("T. P*****", (await hiddenCall.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentTicket").GetProperty("maskedName").GetString());
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("recentCalls")[0].GetProperty("maskedName").ValueKind);
        Assert.Equal(HttpStatusCode.OK, settingOn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shownCall.StatusCode);
        Assert.Equal("A002", live.GetProperty("number").GetString());
        Assert.Equal("张*", live.GetProperty("maskedName").GetString());
        Assert.Equal("张*", shown.GetProperty("recentCalls")[0].GetProperty("maskedName").GetString());
        Assert.Equal("T. P*****", shown.GetProperty("recentCalls")[1].GetProperty("maskedName").GetString());
        Assert.DoesNotContain("Person", shown.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("三", shown.ToString(), StringComparison.Ordinal);
    }

    private static Task<(int Branches, int Services, int Counters, int CounterServices)> CountsAsync(GuichetServer server) =>
        QueueApiTests.WithDbAsync(server, async db => (
            await db.Branches.CountAsync(), await db.Services.CountAsync(), await db.Counters.CountAsync(), await db.CounterServices.CountAsync()));
}
