using Guichet.Browser.Tests.Infrastructure;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed class AuditorAlertsTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_auditor_sees_an_alert_arrive_live_and_searches_the_ledger()
    {
        await using var server = await HallServer.StartAsync(configure: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:Rules:Reveals:AlertAbove"] = "1",
        }));
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var page = await context.NewPageAsync();
        await StaffSession.EnrolAsync(server, page, StaffRole.SecurityAuditor, "branch-a");

        await page.GotoAsync("/audit/alerts");
        await Assertions.Expect(page.Locator("#alerts-live")).ToHaveTextAsync("Live.");
        await Assertions.Expect(page.Locator("#live-alerts tbody tr")).ToHaveCountAsync(0);

        var trail = server.Services.GetRequiredService<IAuditTrail>();
        var agent = new AuditActor(AuditActorKind.Staff, "staff-test-browser-01");
        for (var i = 0; i < 2; i++)
        {
            await trail.RecordAsync(new AuditEvent("customer.reveal", agent, AuditOutcome.Success, "customer", $"cus-test-browser-{i}", "call back"));
        }

        var row = page.Locator("#live-alerts tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync("reveals");
        await Assertions.Expect(row).ToContainTextAsync("staff-test-browser-01");
        await Artifacts.ScreenshotAsync(page, "alert-live");

        await page.GotoAsync("/audit/ledger");
        await page.GetByLabel("Actor id").FillAsync("staff-test-browser-01");
        await page.GetByLabel("Action").FillAsync("customer.reveal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#entries tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#entries")).ToContainTextAsync("cus-test-browser-1");
        await Artifacts.ScreenshotAsync(page, "ledger-search");

        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }
}
