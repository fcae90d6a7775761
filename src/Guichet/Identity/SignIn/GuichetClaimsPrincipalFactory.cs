using System.Security.Claims;
using Guichet.Identity.Access;
using Guichet.Identity.Data;
using Guichet.Privacy.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.SignIn;

/// <summary>
/// Adds the claims of docs/architecture.md at sign-in: one <c>guichet:permission</c> per
/// permission of the user's roles, the user's <c>guichet:branch</c> claims (stored as user
/// claims), and the actor kind and id. Re-run by the security-stamp check, so a role change
/// reaches existing sessions within a minute even before they are ended.
/// </summary>
internal sealed class GuichetClaimsPrincipalFactory(
    UserManager<GuichetUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<GuichetUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(GuichetUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var roles = identity.FindAll(identity.RoleClaimType)
            .Select(claim => Enum.TryParse<StaffRole>(claim.Value, out var role) ? role : (StaffRole?)null)
            .OfType<StaffRole>()
            .ToList();
        foreach (var permission in Permissions.ForRoles(roles))
        {
            identity.AddClaim(new Claim(GuichetClaimTypes.Permission, permission));
        }

        identity.AddClaim(new Claim(GuichetClaimTypes.ActorKind, ActorKinds.Staff));
        identity.AddClaim(new Claim(GuichetClaimTypes.ActorId, user.Id));
        return identity;
    }
}
