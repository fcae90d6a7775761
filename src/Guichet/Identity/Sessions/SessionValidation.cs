using System.Security.Claims;
using Guichet.Identity.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Guichet.Identity.Sessions;

/// <summary>Cookie hooks: the security stamp (every minute) and the session row (every request).</summary>
internal static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal?.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var sessions = context.HttpContext.RequestServices.GetRequiredService<StaffSessions>();
        if (!await sessions.ValidateAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    /// <summary>The security-stamp refresh rebuilds the principal; the session and factor claims carry over.</summary>
    public static Task KeepSessionClaims(SecurityStampRefreshingPrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var identity = context.NewPrincipal?.Identities.FirstOrDefault();
        if (identity is null || context.CurrentPrincipal is null)
        {
            return Task.CompletedTask;
        }

        foreach (var type in new[] { IdentityClaimTypes.Session, IdentityClaimTypes.SecondFactorAt, "amr" })
        {
            var claim = context.CurrentPrincipal.FindFirst(type);
            if (claim is not null && !identity.HasClaim(c => c.Type == type))
            {
                identity.AddClaim(new Claim(type, claim.Value));
            }
        }

        return Task.CompletedTask;
    }
}
