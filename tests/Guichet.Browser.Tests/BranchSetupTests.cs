using System.Net.Http.Headers;
using System.Net.Http.Json;
using Guichet.Browser.Tests.Infrastructure;
using Guichet.Identity.ApiKeys;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed class BranchSetupTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_administrator_sets_up_a_branch_and_its_board_shows_the_masked_name_of_a_called_ticket()
    {
        await using var server = await HallServer.StartAsync(demo: false);
        await using var adminContext = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(adminContext);
        var admin = await adminContext.NewPageAsync();
        await StaffSession.EnrolAsync(server, admin, StaffRole.Administrator, GuichetClaimTypes.AllBranches);

        // The branch: open all day every day (the test may run at any hour), masked names on.
        await admin.GotoAsync("/admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Branches, services and counters" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "New branch" }).ClickAsync();
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Test Branch West");
        await admin.GetByLabel("Time zone").FillAsync("Etc/UTC");
        for (var day = 0; day < 7; day++)
        {
            await admin.Locator($"#opens-{day}").FillAsync("00:00");
            await admin.Locator($"#closes-{day}").FillAsync("24:00");
        }

        await admin.GetByLabel("Show the customer's masked name").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create branch" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Test Branch West" })).ToBeVisibleAsync();
        var branchId = admin.Url.TrimEnd('/').Split('/')[^1];
        Assert.True(Guid.TryParse(branchId, out _), admin.Url);

        // A service: a refused prefix first (nothing saved), then a good one.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Add a service" }).ClickAsync();
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Deposits");
        await admin.GetByLabel("Business type").FillAsync("Retail");
        await admin.GetByLabel("Ticket prefix").FillAsync("1");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add service" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("prefix must be one or two letters");
        await admin.GetByLabel("Ticket prefix").FillAsync("A");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add service" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#services")).ToContainTextAsync("Deposits");
        await Assertions.Expect(admin.Locator("#services tbody tr")).ToHaveCountAsync(1);

        // A counter serving it.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Add a counter" }).ClickAsync();
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Window 1");
        await admin.GetByLabel("Window number").FillAsync("1");
        await admin.GetByLabel("A · Deposits").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add counter" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#counters")).ToContainTextAsync("Window 1");
        await Artifacts.ScreenshotAsync(admin, "branch-configured");

        // The board, before anything is called.
        await using var boardContext = await browser.NewContextAsync(server.BaseAddress);
        var board = await boardContext.NewPageAsync();
        await board.GotoAsync("/display/" + branchId);
        await Assertions.Expect(board.Locator("[data-role=branch-name]")).ToHaveTextAsync("Test Branch West");
        await Assertions.Expect(board.Locator("[data-role=live]")).ToHaveTextAsync("Live");

        // Staff issue a named ticket at the desk (an integration's counter-staff key).
        var serviceId = await ServiceIdAsync(server, branchId);
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/branches/{branchId}/staff-tickets", UriKind.Relative))
        {
            Content = JsonContent.Create(new { serviceId, customerName = "Test Person" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", await CounterKeyAsync(server, branchId));
        using var issued = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, issued.StatusCode);

        // Counter staff call it.
        await using var counterContext = await browser.NewContextAsync(server.BaseAddress);
        var console = await counterContext.NewPageAsync();
        await StaffSession.EnrolCounterStaffAsync(server, console, branchId);
        await console.GotoAsync("/counter");
        await console.GetByRole(AriaRole.Link, new() { Name = "Window 1", Exact = true }).ClickAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Call next" }).ClickAsync();
        await Assertions.Expect(console.Locator("[data-role=current-number]")).ToHaveTextAsync("A001");
        await Assertions.Expect(console.Locator("[data-role=current-meta]")).ToContainTextAsync("customer T. P*****");

        var call = board.Locator("[data-role=calls] li").First;
        await Assertions.Expect(call).ToHaveAttributeAsync("data-number", "A001");
        await Assertions.Expect(call.Locator(".display-call-name")).ToHaveTextAsync("T. P*****");
        await Artifacts.ScreenshotAsync(board, "masked-name");
        Assert.DoesNotContain("Person", await board.ContentAsync(), StringComparison.Ordinal);
        await board.ReloadAsync();
        await Assertions.Expect(board.Locator("[data-role=calls] li .display-call-name").First).ToHaveTextAsync("T. P*****");

        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    private static async Task<Guid> ServiceIdAsync(HallServer server, string branchId)
    {
        using var client = server.CreateClient();
        var services = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/branches/{branchId}/services");
        return services[0].GetProperty("id").GetGuid();
    }

    private static async Task<string> CounterKeyAsync(HallServer server, string branchId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyRegistry>().CreateAsync("desk", StaffRole.CounterStaff, branchId, null, AuditActor.System);
        return key.Key;
    }
}
