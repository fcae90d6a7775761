using System.Globalization;
using Guichet.Audit.Detection;

namespace Guichet.Hosting.Wiring;

/// <summary>
/// Sign-in attempts from an address the audit module blocked (a burst of failed sign-ins) are
/// answered 429 before any secret is checked. The message says nothing about accounts, and
/// the block always expires (docs/audit.md, "How administrators keep a way in").
/// </summary>
internal static class SignInAddressBlock
{
    public const string Message = "Too many failed sign-ins from this network. Try again later.";

    private static readonly string[] SignInPaths =
    [
        "/account/login",
        "/account/login-2fa",
        "/account/login-recovery",
        "/account/passkey/request-options",
    ];

    public static IApplicationBuilder UseSignInAddressBlock(this IApplicationBuilder app) =>
        app.Use(static async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method)
                && IsSignIn(context.Request.Path)
                && context.Connection.RemoteIpAddress?.ToString() is { } address
                && context.RequestServices.GetRequiredService<IClientBlocklist>().BlockedUntil(address) is { } until)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling((until - context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds));
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(Message, context.RequestAborted);
                return;
            }

            await next(context);
        });

    private static bool IsSignIn(PathString path) =>
        SignInPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));
}
