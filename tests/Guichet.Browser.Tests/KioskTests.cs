using System.Text.RegularExpressions;
using Guichet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed partial class KioskTests(BrowserFixture browser)
{
    [Fact]
    public async Task Kiosk_issues_a_ticket_with_a_working_tracker_link_and_qr_code()
    {
        await using var server = await HallServer.StartAsync();
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var kiosk = await context.NewPageAsync();

        await kiosk.GotoAsync("/kiosk");
        await Assertions.Expect(kiosk).ToHaveURLAsync(KioskBranchAddress());
        await kiosk.GetByRole(AriaRole.Button, new() { Name = "Deposits" }).ClickAsync();

        var number = kiosk.Locator("[data-role=ticket-number]");
        await Assertions.Expect(number).ToHaveTextAsync(TicketNumber());
        await Assertions.Expect(kiosk.Locator("[data-role=ticket-service]")).ToHaveTextAsync("Deposits");
        await Assertions.Expect(kiosk.Locator("[data-role=ticket-ahead]")).ToHaveTextAsync("0");
        var qrWidth = await kiosk.Locator("[data-role=ticket-qr]").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0");
        Assert.True(qrWidth > 0, "the QR code image did not load");
        await Artifacts.ScreenshotAsync(kiosk, "ticket");

        var trackerHref = await kiosk.Locator("[data-role=ticket-tracker]").GetAttributeAsync("href");
        var tracker = await context.NewPageAsync();
        await tracker.GotoAsync(trackerHref!);
        await Assertions.Expect(tracker.Locator("[data-role=number]")).ToHaveTextAsync(await number.TextContentAsync() ?? "");
        await Assertions.Expect(tracker.Locator("[data-role=state]")).ToContainTextAsync("You are next");
        await Artifacts.ScreenshotAsync(tracker, "tracker");

        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Printed_ticket_shows_the_ticket_and_none_of_the_buttons()
    {
        await using var server = await HallServer.StartAsync();
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var kiosk = await context.NewPageAsync();
        await kiosk.GotoAsync("/kiosk");
        await kiosk.GetByRole(AriaRole.Button, new() { Name = "Enquiries" }).ClickAsync();
        await Assertions.Expect(kiosk.Locator("[data-role=ticket-number]")).ToHaveTextAsync(TicketNumber());

        await kiosk.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        await Assertions.Expect(kiosk.Locator("[data-role=ticket-number]")).ToBeVisibleAsync();
        await Assertions.Expect(kiosk.Locator("[data-role=ticket-qr]")).ToBeVisibleAsync();
        await Assertions.Expect(kiosk.GetByRole(AriaRole.Button, new() { Name = "Print" })).ToBeHiddenAsync();
        await Assertions.Expect(kiosk.Locator(".kiosk-header")).ToBeHiddenAsync();
        await Artifacts.ScreenshotAsync(kiosk, "print");
    }

    [Fact]
    public async Task A_service_that_collects_a_phone_says_why_and_never_requires_it()
    {
        await using var server = await HallServer.StartAsync();
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var kiosk = await context.NewPageAsync();
        await kiosk.GotoAsync("/kiosk");

        await kiosk.GetByRole(AriaRole.Button, new() { Name = "Loans" }).ClickAsync();

        await Assertions.Expect(kiosk.Locator("[data-role=phone-purpose]")).ToContainTextAsync("tell you when your turn is near");
        await kiosk.GetByLabel("Your mobile number (optional)").FillAsync("+86 138 0013 8000");
        await kiosk.GetByRole(AriaRole.Button, new() { Name = "Take ticket" }).ClickAsync();
        // Either the number is accepted (privacy kernel present) or the refusal is shown and
        // the customer can still take the ticket without it.
        await kiosk.WaitForFunctionAsync(
            "() => !document.querySelector('[data-step=ticket]').hidden || !document.querySelector('[data-role=phone-error]').hidden");
        var number = kiosk.Locator("[data-role=ticket-number]");
        if (await kiosk.Locator("[data-role=phone-error]").IsVisibleAsync())
        {
            await Assertions.Expect(kiosk.Locator("[data-role=phone-error]")).Not.ToBeEmptyAsync();
            await Artifacts.ScreenshotAsync(kiosk, "phone-refused");
            await kiosk.GetByRole(AriaRole.Button, new() { Name = "No thanks, just the ticket" }).ClickAsync();
        }

        await Assertions.Expect(number).ToHaveTextAsync(new Regex("^B[0-9]+$"));
        Assert.DoesNotContain("13800138000", await kiosk.ContentAsync(), StringComparison.Ordinal);
        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Online_page_takes_a_ticket_on_a_phone_sized_screen()
    {
        await using var server = await HallServer.StartAsync();
        await using var context = await browser.NewContextAsync(server.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        var watch = await PageWatch.AttachAsync(context);
        var phone = await context.NewPageAsync();

        await phone.GotoAsync("/online");
        await Assertions.Expect(phone).ToHaveURLAsync(new Regex("/online/[0-9a-f-]{36}$"));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Enquiries" }).ClickAsync();

        await Assertions.Expect(phone.Locator("[data-role=ticket-number]")).ToHaveTextAsync(new Regex("^C[0-9]+$"));
        await Artifacts.ScreenshotAsync(phone, "online");
        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Kiosk_says_plainly_when_a_service_is_closed_or_has_reached_its_daily_cap()
    {
        await using var server = await HallServer.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await HallApi.DemoBranchAsync(client);
        // Enquiries closed every day; Deposits capped at one ticket a day, already taken.
        await server.ExecuteSqlAsync($"UPDATE queue_services SET ServiceHours = '' WHERE Name = 'Enquiries'");
        await server.ExecuteSqlAsync($"UPDATE queue_services SET DailyCap = 1 WHERE Name = 'Deposits'");
        await HallApi.TakeTicketAsync(client, branchId, services["Deposits"]);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var kiosk = await context.NewPageAsync();

        await kiosk.GotoAsync("/kiosk");

        var enquiries = kiosk.Locator(".kiosk-service", new() { HasText = "Enquiries" });
        await Assertions.Expect(enquiries).ToBeDisabledAsync();
        await Assertions.Expect(enquiries).ToContainTextAsync("Closed at this time");
        await kiosk.GetByRole(AriaRole.Button, new() { Name = "Deposits" }).ClickAsync();
        await Assertions.Expect(kiosk.Locator("[data-role=problem-title]")).ToHaveTextAsync("No ticket issued");
        await Assertions.Expect(kiosk.Locator("[data-role=problem-detail]")).Not.ToBeEmptyAsync();
        await Assertions.Expect(kiosk.Locator("[data-step=ticket]")).ToBeHiddenAsync();
        await Artifacts.ScreenshotAsync(kiosk, "cap-reached");
        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Beyond_the_counting_bound_kiosk_and_tracker_say_that_many_or_more()
    {
        await using var server = await HallServer.StartAsync(configure: builder => builder.Configuration["Queueing:CountWaitingUpTo"] = "10");
        using var client = server.CreateClient();
        var (branchId, services) = await HallApi.DemoBranchAsync(client);
        for (var i = 0; i < 10; i++)
        {
            await HallApi.TakeTicketAsync(client, branchId, services["Deposits"]);
        }

        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var kiosk = await context.NewPageAsync();
        await kiosk.GotoAsync("/kiosk");

        var deposits = kiosk.Locator(".kiosk-service", new() { HasText = "Deposits" });
        await Assertions.Expect(deposits).ToContainTextAsync("10 or more waiting · at least");
        await deposits.ClickAsync();
        await Assertions.Expect(kiosk.Locator("[data-role=ticket-ahead]")).ToHaveTextAsync("10 or more");
        await Assertions.Expect(kiosk.Locator("[data-role=ticket-wait]")).ToHaveTextAsync(new Regex("^at least "));

        var tracker = await context.NewPageAsync();
        await tracker.GotoAsync((await kiosk.Locator("[data-role=ticket-tracker]").GetAttributeAsync("href"))!);
        await Assertions.Expect(tracker.Locator("[data-role=ahead]")).ToHaveTextAsync("10 or more");
        await Assertions.Expect(tracker.Locator("[data-role=wait]")).ToHaveTextAsync(new Regex("^at least "));
        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    [GeneratedRegex("/kiosk/[0-9a-f-]{36}$")]
    private static partial Regex KioskBranchAddress();

    [GeneratedRegex("^[A-Z][0-9]{3}$")]
    private static partial Regex TicketNumber();
}
