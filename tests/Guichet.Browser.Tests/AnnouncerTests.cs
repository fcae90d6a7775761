using Guichet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed class AnnouncerTests(BrowserFixture browser)
{
    [Fact]
    public async Task Calls_announced_at_once_are_spoken_one_after_the_other_never_cut_short()
    {
        await using var server = await HallServer.StartAsync(demo: false);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        await FakeSpeech.InstallAsync(context);
        var watch = await PageWatch.AttachAsync(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/display");

        await page.EvaluateAsync("""
            async () => {
              const { Announcer } = await import('/js/announcer.js');
              const announcer = new Announcer();
              await announcer.enable();
              announcer.announce('A001, window 1');
              announcer.announce('B002, window 2');
              announcer.announce('A003, window 1');
            }
            """);
        var log = await FakeSpeech.WaitForSpokenAsync(page, 3);

        Assert.Equal(
            ["start:A001, window 1", "end:A001, window 1", "start:B002, window 2", "end:B002, window 2", "start:A003, window 1", "end:A003, window 1"],
            log);
        watch.AssertNoCspViolations();
        watch.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Nothing_is_announced_before_sound_is_switched_on()
    {
        await using var server = await HallServer.StartAsync(demo: false);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        await FakeSpeech.InstallAsync(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/display");

        await page.EvaluateAsync("""
            async () => {
              const { Announcer } = await import('/js/announcer.js');
              const announcer = new Announcer();
              announcer.announce('A001, window 1');
              await announcer.enable();
              announcer.announce('B002, window 2');
            }
            """);
        var log = await FakeSpeech.WaitForSpokenAsync(page, 1);

        // Had the call before "Start sound" been queued, it would have been spoken first.
        Assert.Equal(["start:B002, window 2", "end:B002, window 2"], log);
    }

    [Fact]
    public async Task Sound_is_offered_on_a_branch_board_and_not_while_a_branch_is_chosen()
    {
        // Switched on while choosing, sound would be lost with the page when the board opens.
        await using var server = await HallServer.StartAsync(demo: false);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/display");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose the branch this screen shows" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start sound" })).ToBeHiddenAsync();

        await using var demo = await HallServer.StartAsync();
        await using var demoContext = await browser.NewContextAsync(demo.BaseAddress);
        var board = await demoContext.NewPageAsync();
        await board.GotoAsync("/display");
        await Assertions.Expect(board.Locator("[data-step=board]")).ToBeVisibleAsync();
        await Assertions.Expect(board.GetByRole(AriaRole.Button, new() { Name = "Start sound" })).ToBeVisibleAsync();
    }
}
