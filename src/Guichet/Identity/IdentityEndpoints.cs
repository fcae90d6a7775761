using System.Security.Claims;
using Guichet.Identity.Access;
using Guichet.Identity.Data;
using Guichet.Identity.Devices;
using Guichet.Identity.Sessions;
using Guichet.Privacy.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Guichet.Identity;

/// <summary>The identity module's HTTP endpoints besides its pages.</summary>
internal static class IdentityEndpoints
{
    public static bool IsApiRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ||
            request.Path.StartsWithSegments("/account/passkey", StringComparison.OrdinalIgnoreCase);
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account").ExcludeFromDescription();
        account.MapPost("/logout", LogoutAsync).RequireAuthorization(GuichetPolicies.Staff);
        account.MapPost("/passkey/creation-options", PasskeyCreationOptionsAsync).RequireAuthorization(GuichetPolicies.Staff);
        account.MapPost("/passkey/request-options", PasskeyRequestOptionsAsync).RequireRateLimiting(IdentityModule.SignInRateLimitPolicy);

        endpoints.MapGet("/api/v1/whoami", WhoAmI).RequireAuthorization().WithTags("Access");

        var devices = endpoints.MapGroup("/api/v1/devices").WithTags("Devices");
        devices.MapPost("/enrol", EnrolDeviceAsync).RequireRateLimiting(IdentityModule.SignInRateLimitPolicy).DisableAntiforgery();
        devices.MapGet("/me", DeviceSelf).RequireAuthorization(GuichetPolicies.Device);
    }

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext context, [FromServices] SignInManager<GuichetUser> signInManager, [FromServices] StaffSessions sessions, [FromForm] string? returnUrl)
    {
        var sessionId = context.User.FindFirst(IdentityClaimTypes.Session)?.Value;
        if (sessionId is not null)
        {
            await sessions.EndAsync(sessionId, "signout", context.RequestAborted);
        }

        await signInManager.SignOutAsync();
        _ = returnUrl;
        return TypedResults.LocalRedirect("~/account/login");
    }

    private static async Task<Results<ContentHttpResult, NotFound>> PasskeyCreationOptionsAsync(
        HttpContext context,
        [FromServices] UserManager<GuichetUser> users,
        [FromServices] SignInManager<GuichetUser> signInManager,
        [FromServices] IAntiforgery antiforgery)
    {
        await antiforgery.ValidateRequestAsync(context);
        var user = await users.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        var optionsJson = await signInManager.MakePasskeyCreationOptionsAsync(new()
        {
            Id = user.Id,
            Name = user.UserName!,
            DisplayName = user.UserName!,
        });
        return TypedResults.Content(optionsJson, contentType: "application/json");
    }

    private static async Task<ContentHttpResult> PasskeyRequestOptionsAsync(
        HttpContext context,
        [FromServices] UserManager<GuichetUser> users,
        [FromServices] SignInManager<GuichetUser> signInManager,
        [FromServices] IAntiforgery antiforgery,
        [FromQuery] string? username)
    {
        await antiforgery.ValidateRequestAsync(context);
        // For a signed-in staff member (step-up) the options name their own passkeys; on the
        // sign-in page they name none, so the answer does not reveal which accounts exist.
        var user = context.User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(context.User) : null;
        _ = username;
        var optionsJson = await signInManager.MakePasskeyRequestOptionsAsync(user);
        return TypedResults.Content(optionsJson, contentType: "application/json");
    }

    internal sealed record DeviceEnrolmentRequest(string? Code);

    internal sealed record DeviceEnrolmentResponse(Guid DeviceId, string Credential, string BranchId, string Kind);

    internal sealed record DeviceSelfResponse(string DeviceId, string Name, string BranchId, IReadOnlyList<string> Permissions);

    private static async Task<Results<Ok<DeviceEnrolmentResponse>, ProblemHttpResult>> EnrolDeviceAsync(
        [FromBody] DeviceEnrolmentRequest request,
        [FromServices] DeviceRegistry devices,
        CancellationToken cancellationToken)
    {
        var enrolment = await devices.EnrolAsync(request?.Code, cancellationToken);
        if (enrolment is null)
        {
            return TypedResults.Problem(
                title: "The enrolment code is not valid",
                detail: "The code is unknown, already used or expired. Ask an administrator for a new one.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(new DeviceEnrolmentResponse(enrolment.DeviceId, enrolment.Credential, enrolment.BranchId, enrolment.Kind.ToString()));
    }

    internal sealed record WhoAmIResponse(string ActorKind, string ActorId, IReadOnlyList<string> Branches, IReadOnlyList<string> Permissions);

    /// <summary>What the caller is and may do: lets an integration check its key, and a device its enrolment.</summary>
    private static Ok<WhoAmIResponse> WhoAmI(ClaimsPrincipal user) =>
        TypedResults.Ok(new WhoAmIResponse(
            user.FindFirst(GuichetClaimTypes.ActorKind)?.Value ?? "",
            user.FindFirst(GuichetClaimTypes.ActorId)?.Value ?? "",
            [.. user.FindAll(GuichetClaimTypes.Branch).Select(c => c.Value)],
            [.. user.FindAll(GuichetClaimTypes.Permission).Select(c => c.Value)]));

    private static Ok<DeviceSelfResponse> DeviceSelf(ClaimsPrincipal user) =>
        TypedResults.Ok(new DeviceSelfResponse(
            user.FindFirst(GuichetClaimTypes.ActorId)!.Value,
            user.FindFirst(ClaimTypes.Name)?.Value ?? "",
            user.FindFirst(GuichetClaimTypes.Branch)?.Value ?? "",
            [.. user.FindAll(GuichetClaimTypes.Permission).Select(c => c.Value)]));
}
