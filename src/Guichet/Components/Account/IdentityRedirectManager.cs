using Microsoft.AspNetCore.Components;

namespace Guichet.Components.Account;

/// <summary>Redirects from static server-rendered account pages, refusing open redirects.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "__Host-guichet-status";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        SecurePolicy = CookieSecurePolicy.Always,
        MaxAge = TimeSpan.FromSeconds(5),
        Path = "/",
    };

    public void RedirectTo(string? uri)
    {
        uri = LocalOnly(uri);
        navigationManager.NavigateTo(uri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context) =>
        RedirectToWithStatus(navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path), message, context);

    /// <summary>A path on this site, or the home page.</summary>
    public static string LocalOnly(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return "/";
        }

        if (!uri.StartsWith('/') || uri.StartsWith("//", StringComparison.Ordinal) || uri.StartsWith("/\\", StringComparison.Ordinal))
        {
            return "/";
        }

        return uri;
    }
}
