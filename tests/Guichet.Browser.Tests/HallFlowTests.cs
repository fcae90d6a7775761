using System.Text.RegularExpressions;
using Guichet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests;

/// <summary>
/// The hall end to end, each device in its own browser context as in a real hall: the
/// kiosk issues a ticket, the customer follows it on the tracker, counter staff call it from
/// the console, the display board shows and announces the call, and the ticket is served.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class HallFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task Ticket_from_the_kiosk_is_called_on_the_display_and_served_at_the_counter()
    {
        await using var server = await HallServer.StartAsync();
        await using var customerContext = await browser.NewContextAsync(server.BaseAddress);
        await using var displayContext = await browser.NewContextAsync(server.BaseAddress);
        await using var staffContext = await browser.NewContextAsync(server.BaseAddress);
        await FakeSpeech.InstallAsync(displayContext);
        var watches = new[]
        {
            await PageWatch.AttachAsync(customerContext),
            await PageWatch.AttachAsync(displayContext),
            await PageWatch.AttachAsync(staffContext),
        };

        // The kiosk issues a ticket; the customer follows it on the tracker.
        var kiosk = await customerContext.NewPageAsync();
        await kiosk.GotoAsync("/kiosk");
        await kiosk.GetByRole(AriaRole.Button, new() { Name = "Deposits" }).ClickAsync();
        var numberText = kiosk.Locator("[data-role=ticket-number]");
        await Assertions.Expect(numberText).ToHaveTextAsync(TicketNumber());
        var number = await numberText.TextContentAsync() ?? "";
        await Artifacts.ScreenshotAsync(kiosk, "1-kiosk-ticket");
        var tracker = await customerContext.NewPageAsync();
        await tracker.GotoAsync(await kiosk.Locator("[data-role=ticket-tracker]").GetAttributeAsync("href") ?? "");
        await Assertions.Expect(tracker.Locator("[data-role=state]")).ToContainTextAsync("You are next");

        // The display board is on, with sound.
        var display = await displayContext.NewPageAsync();
        await display.GotoAsync("/display");
        await Assertions.Expect(display).ToHaveURLAsync(new Regex("/display/[0-9a-f-]{36}$"));
        await display.GetByRole(AriaRole.Button, new() { Name = "Start sound" }).ClickAsync();
        await Assertions.Expect(display.Locator("[data-role=sound-on]")).ToBeVisibleAsync();
        await Assertions.Expect(display.Locator("[data-role=live]")).ToHaveTextAsync("Live");

        // A counter staff member, invited and enrolled earlier on another device, opens the
        // console signed out, signs in from it (password and authenticator code), comes back to
        // the console, picks Window 1 (it serves Deposits) and sees the ticket waiting.
        using var client = server.CreateClient();
        var (branchId, _) = await HallApi.DemoBranchAsync(client);
        StaffMember staff;
        await using (var enrolmentContext = await browser.NewContextAsync(server.BaseAddress))
        {
            staff = await StaffSession.EnrolCounterStaffAsync(server, await enrolmentContext.NewPageAsync(), branchId);
        }

        var console = await staffContext.NewPageAsync();
        await console.GotoAsync("/counter");
        await Artifacts.ScreenshotAsync(console, "2-counter-signed-out");
        await console.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await StaffSession.SignInAsync(console, staff);
        await Assertions.Expect(console).ToHaveURLAsync(new Regex("/counter$"));
        await console.GetByRole(AriaRole.Link, new() { Name = "Window 1", Exact = true }).ClickAsync();
        await Assertions.Expect(console.Locator($"[data-role=waiting] tr[data-number='{number}']")).ToBeVisibleAsync();
        await Assertions.Expect(console.Locator("[data-role=live]")).ToHaveTextAsync("Live");
        await Artifacts.ScreenshotAsync(console, "2-counter-waiting");

        // Call next: the console holds it, the board shows and speaks it, the tracker says where to go.
        await console.GetByRole(AriaRole.Button, new() { Name = "Call next" }).ClickAsync();
        await Assertions.Expect(console.Locator("[data-role=current-number]")).ToHaveTextAsync(number);
        var newest = display.Locator(".display-call.is-newest");
        await Assertions.Expect(newest.Locator(".display-call-number")).ToHaveTextAsync(number);
        await Assertions.Expect(newest.Locator(".display-call-window")).ToHaveTextAsync("1");
        var spoken = await FakeSpeech.WaitForSpokenAsync(display, 1);
        Assert.Equal($"start:{number}, window 1", spoken[0]);
        await Assertions.Expect(tracker.Locator("[data-role=state]")).ToContainTextAsync("please go to window 1");
        await Artifacts.ScreenshotAsync(display, "3-display-called");
        await Artifacts.ScreenshotAsync(tracker, "3-tracker-called");

        // Start serving; a reloaded console resumes with the same ticket from the server.
        await console.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await Assertions.Expect(tracker.Locator("[data-role=state]")).ToContainTextAsync("Being served at window 1");
        await console.ReloadAsync();
        await Assertions.Expect(console.Locator("[data-role=current-number]")).ToHaveTextAsync(number);
        await Assertions.Expect(console.GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToBeEnabledAsync();
        await Artifacts.ScreenshotAsync(console, "4-counter-serving");

        // Complete: the ticket is served.
        await console.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(console.Locator("[data-role=current-number]")).ToHaveTextAsync("—");
        await Assertions.Expect(tracker.Locator("[data-role=state]")).ToContainTextAsync("Served");
        await Artifacts.ScreenshotAsync(tracker, "5-tracker-served");

        foreach (var watch in watches)
        {
            watch.AssertNoCspViolations();
            watch.AssertNoScriptErrors();
        }
    }

    [Fact]
    public async Task Two_calls_at_once_are_both_shown_and_announced_one_after_the_other()
    {
        await using var server = await HallServer.StartAsync();
        await using var customerContext = await browser.NewContextAsync(server.BaseAddress);
        await using var displayContext = await browser.NewContextAsync(server.BaseAddress);
        await using var staffContext = await browser.NewContextAsync(server.BaseAddress);
        await FakeSpeech.InstallAsync(displayContext);
        var kiosk = await customerContext.NewPageAsync();
        await kiosk.GotoAsync("/kiosk");
        var numbers = new List<string>();
        foreach (var service in new[] { "Deposits", "Loans" })
        {
            await kiosk.GetByRole(AriaRole.Button, new() { Name = service }).ClickAsync();
            await kiosk.Locator("[data-step=phone]:not([hidden]), [data-step=ticket]:not([hidden])").WaitForAsync();
            if (await kiosk.Locator("[data-step=phone]").IsVisibleAsync())
            {
                await kiosk.GetByRole(AriaRole.Button, new() { Name = "No thanks, just the ticket" }).ClickAsync();
            }

            await Assertions.Expect(kiosk.Locator("[data-role=ticket-number]")).ToHaveTextAsync(TicketNumber());
            numbers.Add(await kiosk.Locator("[data-role=ticket-number]").TextContentAsync() ?? "");
            await kiosk.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        }

        var display = await displayContext.NewPageAsync();
        await display.GotoAsync("/display");
        await Assertions.Expect(display).ToHaveURLAsync(new Regex("/display/[0-9a-f-]{36}$"));
        await display.GetByRole(AriaRole.Button, new() { Name = "Start sound" }).ClickAsync();
        await Assertions.Expect(display.Locator("[data-role=sound-on]")).ToBeVisibleAsync();
        await Assertions.Expect(display.Locator("[data-role=live]")).ToHaveTextAsync("Live");

        // Window 1 serves Deposits only among these; Window 3 serves Loans.
        using var client = server.CreateClient();
        var (branchId, _) = await HallApi.DemoBranchAsync(client);
        var first = await staffContext.NewPageAsync();
        await StaffSession.EnrolCounterStaffAsync(server, first, branchId);
        var second = await staffContext.NewPageAsync();
        foreach (var (page, window) in new[] { (first, "Window 1"), (second, "Window 3") })
        {
            await page.GotoAsync("/counter");
            await page.GetByRole(AriaRole.Link, new() { Name = window, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Call next" })).ToBeEnabledAsync();
        }

        await Task.WhenAll(
            first.GetByRole(AriaRole.Button, new() { Name = "Call next" }).ClickAsync(),
            second.GetByRole(AriaRole.Button, new() { Name = "Call next" }).ClickAsync());

        await Assertions.Expect(display.Locator(".display-call")).ToHaveCountAsync(2);
        var spoken = await FakeSpeech.WaitForSpokenAsync(display, 2);
        Assert.DoesNotContain(spoken, entry => entry.Contains("OVERLAP", StringComparison.Ordinal) || entry == "cancel");
        Assert.Equal(4, spoken.Count);
        Assert.StartsWith("start:", spoken[0], StringComparison.Ordinal);
        Assert.StartsWith("end:", spoken[1], StringComparison.Ordinal);
        Assert.Equal(
            new[] { $"{numbers[0]}, window 1", $"{numbers[1]}, window 3" }.Order(),
            spoken.Where(e => e.StartsWith("start:", StringComparison.Ordinal)).Select(e => e["start:".Length..]).Order());
        await Artifacts.ScreenshotAsync(display, "two-calls");
    }

    [GeneratedRegex("^[A-Z][0-9]{3}$")]
    private static partial Regex TicketNumber();
}
