using System.Security.Claims;
using Guichet.Identity.Access;
using Guichet.Identity.Data;
using Guichet.Identity.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.SignIn;

/// <summary>
/// Identity's sign-in manager with Guichet's rules: only enrolled, unfrozen accounts may sign
/// in; every sign-in opens a <see cref="StaffSession"/> whose id and second-factor time travel
/// in the cookie; and no session can be opened without a second factor.
/// </summary>
internal sealed class GuichetSignInManager(
    UserManager<GuichetUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<GuichetUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<GuichetUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<GuichetUser> confirmation,
    StaffSessions sessions)
    : SignInManager<GuichetUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>Key of <see cref="HttpContext.Items"/> naming how the second factor was proven.</summary>
    public const string MethodItem = "guichet:signin-method";

    public override async Task<bool> CanSignInAsync(GuichetUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.EnrolledAt is not null && user.FrozenAt is null && await base.CanSignInAsync(user);
    }

    public override async Task SignInWithClaimsAsync(GuichetUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = additionalClaims.ToList();
        var current = Context.User;
        StaffSession? session = null;
        var currentSessionId = current.FindFirst(IdentityClaimTypes.Session)?.Value;
        if (currentSessionId is not null && current.FindFirst(ClaimTypes.NameIdentifier)?.Value == user.Id)
        {
            // A refresh (password change, step-up): the session continues.
            session = await sessions.FindActiveAsync(currentSessionId, user.Id, Context.RequestAborted);
        }

        if (session is null)
        {
            var method = Context.Items[MethodItem] as string
                ?? (claims.Any(c => c.Type == "amr" && c.Value is "pop" or "hwk" or "swk") ? "passkey" : null)
                ?? throw new InvalidOperationException("A staff session needs a second factor.");
            session = await sessions.StartAsync(user, method, Context, Context.RequestAborted);
        }

        claims.RemoveAll(c => c.Type is IdentityClaimTypes.Session or IdentityClaimTypes.SecondFactorAt);
        claims.Add(new Claim(IdentityClaimTypes.Session, session.Id));
        claims.Add(new Claim(IdentityClaimTypes.SecondFactorAt, StaffSessions.SecondFactorClaimValue(session.SecondFactorAt)));
        authenticationProperties ??= new AuthenticationProperties();
        authenticationProperties.IsPersistent = false;
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }
}
