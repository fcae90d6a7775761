using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests.Infrastructure;

/// <summary>Screenshots kept as test artifacts in the test output directory (never committed).</summary>
public static class Artifacts
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task ScreenshotAsync(IPage page, string step, [CallerMemberName] string test = "")
    {
        ArgumentNullException.ThrowIfNull(page);
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Directory, $"{test}.{step}.png"),
            FullPage = true,
        });
    }
}
