using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests.Infrastructure;

/// <summary>
/// Watches a page for what must never happen: console errors, uncaught script errors and,
/// above all, Content Security Policy violations (an inline script or style that slipped in).
/// </summary>
public sealed class PageWatch
{
    // Reports every CSP violation to the console as well; init scripts come in through the
    // DevTools protocol, so the page's own CSP does not apply to this one.
    private const string ViolationReporter = """
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
        """;

    private readonly ConcurrentQueue<string> messages = new();

    private PageWatch()
    {
    }

    public IReadOnlyCollection<string> Messages => messages;

    public static async Task<PageWatch> AttachAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var watch = new PageWatch();
        await context.AddInitScriptAsync(ViolationReporter);
        context.Console += (_, message) => watch.messages.Enqueue($"console.{message.Type}: {message.Text}");
        context.WebError += (_, error) => watch.messages.Enqueue($"pageerror: {error.Error}");
        return watch;
    }

    public void AssertNoCspViolations()
    {
        var violations = messages.Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(violations.Count == 0, "CSP violations:\n" + string.Join('\n', violations));
    }

    public void AssertNoScriptErrors()
    {
        var errors = messages.Where(m => m.StartsWith("pageerror:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "Script errors:\n" + string.Join('\n', errors));
    }
}
