using Guichet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed class CounterConsoleTests(BrowserFixture browser)
{
    [Fact]
    public async Task Console_suspends_and_calls_back_transfers_and_pauses()
    {
        await using var server = await HallServer.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await HallApi.DemoBranchAsync(client);
        var first = await HallApi.TakeTicketAsync(client, branchId, services["Deposits"]);
        var second = await HallApi.TakeTicketAsync(client, branchId, services["Deposits"]);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var console = await context.NewPageAsync();
        await StaffSession.EnrolCounterStaffAsync(server, console, branchId);
        await console.GotoAsync("/counter");
        await console.GetByRole(AriaRole.Link, new() { Name = "Window 1", Exact = true }).ClickAsync();
        var current = console.Locator("[data-role=current-number]");
        var suspended = console.Locator("[data-role=suspended]");

        await console.GetByRole(AriaRole.Button, new() { Name = "Call next" }).ClickAsync();
        await Assertions.Expect(current).ToHaveTextAsync(first);
        await console.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Assertions.Expect(current).ToHaveTextAsync("—");
        await Assertions.Expect(suspended).ToContainTextAsync(first);

        await console.GetByRole(AriaRole.Button, new() { Name = "Call next" }).ClickAsync();
        await Assertions.Expect(current).ToHaveTextAsync(second);
        await console.GetByRole(AriaRole.Button, new() { Name = "Transfer…" }).ClickAsync();
        await console.GetByLabel("Transfer to").SelectOptionAsync(new SelectOptionValue { Label = "Window 2" });
        await console.GetByRole(AriaRole.Button, new() { Name = "Transfer", Exact = true }).ClickAsync();
        await Assertions.Expect(current).ToHaveTextAsync("—");
        await Artifacts.ScreenshotAsync(console, "after-transfer");

        await console.GetByRole(AriaRole.Button, new() { Name = "Call back" }).ClickAsync();
        await Assertions.Expect(current).ToHaveTextAsync(first);
        await Assertions.Expect(suspended).Not.ToContainTextAsync(first);
        await console.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(current).ToHaveTextAsync("—");

        await console.GetByRole(AriaRole.Button, new() { Name = "Pause counter" }).ClickAsync();
        await Assertions.Expect(console.Locator("[data-role=paused]")).ToBeVisibleAsync();
        await Assertions.Expect(console.GetByRole(AriaRole.Button, new() { Name = "Call next" })).ToBeDisabledAsync();
        await console.ReloadAsync();
        await Assertions.Expect(console.Locator("[data-role=paused]")).ToBeVisibleAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Resume counter" }).ClickAsync();
        await Assertions.Expect(console.Locator("[data-role=paused]")).ToBeHiddenAsync();
        await Assertions.Expect(console.GetByRole(AriaRole.Button, new() { Name = "Call next" })).ToBeEnabledAsync();

        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Waiting_list_updates_live_and_warns_past_the_services_level()
    {
        await using var server = await HallServer.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await HallApi.DemoBranchAsync(client);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var console = await context.NewPageAsync();
        await StaffSession.EnrolCounterStaffAsync(server, console, branchId);
        await console.GotoAsync("/counter");
        await console.GetByRole(AriaRole.Link, new() { Name = "Window 1", Exact = true }).ClickAsync();
        await Assertions.Expect(console.Locator("[data-role=live]")).ToHaveTextAsync("Live");
        await Assertions.Expect(console.Locator("[data-role=warnings] .alert")).ToHaveCountAsync(0);

        // The demo's warning level is 10 waiting per service.
        var numbers = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            numbers.Add(await HallApi.TakeTicketAsync(client, branchId, services["Deposits"]));
        }

        await Assertions.Expect(console.Locator("[data-role=waiting] tr")).ToHaveCountAsync(11);
        await Assertions.Expect(console.Locator("[data-role=waiting] tr").First).ToHaveAttributeAsync("data-number", numbers[0]);
        await Assertions.Expect(console.Locator("[data-role=warnings]")).ToContainTextAsync("Deposits: 11 waiting");
        await Artifacts.ScreenshotAsync(console, "warning");

        // The call's answer says what the counter holds; the list and the warning follow on the stream.
        await console.Locator("[data-command=call-next]").First.ClickAsync();
        await Assertions.Expect(console.Locator("[data-role=current-number]")).ToHaveTextAsync(numbers[0]);
        await Assertions.Expect(console.Locator("[data-role=waiting] tr")).ToHaveCountAsync(10);
        await Assertions.Expect(console.Locator("[data-role=waiting] tr").First).ToHaveAttributeAsync("data-number", numbers[1]);
        await Assertions.Expect(console.Locator("[data-role=warnings] .alert")).ToHaveCountAsync(0);
    }
}
