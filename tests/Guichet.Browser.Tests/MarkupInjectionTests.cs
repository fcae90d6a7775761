using Guichet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests;

/// <summary>
/// Names configured by staff (branch, service) reach customers' screens; the pages must show
/// them as text. The CSP would block an injected script anyway: these tests check the pages
/// do not even create the elements.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class MarkupInjectionTests(BrowserFixture browser)
{
    private const string Payload = "<img src=x class=injected onerror=\"window.__xss=1\"><b class=injected>Deposits</b>";

    [Fact]
    public async Task Kiosk_ticket_tracker_and_display_show_names_as_text()
    {
        await using var server = await HallServer.StartAsync();
        await server.ExecuteSqlAsync($"UPDATE queue_services SET Name = {Payload} WHERE Name = 'Deposits'");
        await server.ExecuteSqlAsync($"UPDATE queue_branches SET Name = {Payload}");
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var kiosk = await context.NewPageAsync();

        await kiosk.GotoAsync("/kiosk");
        var service = kiosk.Locator(".kiosk-service", new() { HasText = "<img src=x" });
        await Assertions.Expect(service).ToContainTextAsync(Payload);
        await Assertions.Expect(kiosk.Locator("[data-role=branch-name]")).ToHaveTextAsync(Payload);
        await service.ClickAsync();
        await Assertions.Expect(kiosk.Locator("[data-role=ticket-service]")).ToHaveTextAsync(Payload);
        var tracker = await context.NewPageAsync();
        await tracker.GotoAsync(await kiosk.Locator("[data-role=ticket-tracker]").GetAttributeAsync("href") ?? "");
        await Assertions.Expect(tracker.Locator("[data-role=service]")).ToHaveTextAsync(Payload);
        var display = await context.NewPageAsync();
        await display.GotoAsync("/display");
        await Assertions.Expect(display.Locator("[data-role=branch-name]")).ToHaveTextAsync(Payload);

        foreach (var page in new[] { kiosk, tracker, display })
        {
            Assert.Equal(0, await page.Locator(".injected").CountAsync());
            Assert.False(await page.EvaluateAsync<bool>("() => window.__xss === 1"));
        }

        watch.AssertNoCspViolations();
    }
}
