using Guichet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/kiosk")]
    [InlineData("/online")]
    [InlineData("/display")]
    [InlineData("/counter")]
    public async Task Entry_page_runs_its_scripts_without_csp_violations(string path)
    {
        await using var server = await HallServer.StartAsync();
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.True(response!.Ok, $"{path} answered {response.Status}");
        Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Tracker_with_an_unknown_token_says_so_without_csp_violations()
    {
        await using var server = await HallServer.StartAsync();
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var watch = await PageWatch.AttachAsync(context);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/t/not-a-real-ticket-token");

        await Assertions.Expect(page.Locator("[data-role=state]")).ToContainTextAsync("not valid");
        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }
}
