using Guichet.Browser.Tests.Infrastructure;

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
}
