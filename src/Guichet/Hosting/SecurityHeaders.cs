namespace Guichet.Hosting;

/// <summary>
/// Response headers every page and API answer carries (P8): a CSP with no inline script,
/// no framing, no MIME sniffing, no referrer leaking tracker tokens.
/// </summary>
internal static class SecurityHeaders
{
    // 'self' only: pages load their scripts and styles from wwwroot; no inline script or
    // style attribute is allowed anywhere (a test renders XSS payloads against this).
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self'; media-src 'self' data:; object-src 'none'; " +
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
