using System.Globalization;
using System.Security.Claims;
using Guichet.Privacy.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.Access;

/// <summary>
/// One policy per permission, named after it: the principal must hold a
/// <c>guichet:permission</c> claim with that value. Names not in the table (a module's new
/// permission) still get a policy that nobody satisfies until the table grants it.
/// </summary>
internal sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        var policy = await base.GetPolicyAsync(policyName);
        if (policy is not null || !LooksLikePermission(policyName))
        {
            return policy;
        }

        return ForPermission(policyName);
    }

    public static AuthorizationPolicy ForPermission(string permission) =>
        new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireClaim(GuichetClaimTypes.Permission, permission)
            .Build();

    private static bool LooksLikePermission(string name) =>
        name.Length is > 2 and < 100 && name.Contains('.', StringComparison.Ordinal) &&
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-');
}

/// <summary>The second factor must be recent (see <see cref="GuichetPolicies.StepUp"/>).</summary>
internal sealed class StepUpRequirement : IAuthorizationRequirement;

internal sealed class StepUpHandler(TimeProvider time, IOptionsMonitor<GuichetIdentityOptions> options) : AuthorizationHandler<StepUpRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StepUpRequirement requirement)
    {
        if (IsRecent(context.User, time.GetUtcNow(), options.CurrentValue.StepUpMaxAge))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    public static bool IsRecent(ClaimsPrincipal user, DateTimeOffset now, TimeSpan maxAge)
    {
        var value = user.FindFirst(IdentityClaimTypes.SecondFactorAt)?.Value;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age >= TimeSpan.FromSeconds(-5) && age <= maxAge;
    }
}

/// <summary>
/// Turns a step-up failure into a way forward: pages go to the step-up form, the API answers 401
/// with <c>WWW-Authenticate: step-up</c>. Other failures keep the default handling.
/// </summary>
internal sealed class StepUpResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        var stepUpFailed = authorizeResult.Forbidden &&
            authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<StepUpRequirement>().Any() == true &&
            authorizeResult.AuthorizationFailure.FailedRequirements.All(r => r is StepUpRequirement) &&
            context.User.HasClaim(c => c.Type == IdentityClaimTypes.Session);
        if (!stepUpFailed)
        {
            return fallback.HandleAsync(next, context, policy, authorizeResult);
        }

        if (IdentityEndpoints.IsApiRequest(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "step-up";
            return Task.CompletedTask;
        }

        var returnUrl = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        context.Response.Redirect("/account/step-up?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        return Task.CompletedTask;
    }
}
