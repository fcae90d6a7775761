using System.Security.Claims;
using System.Text.Encodings.Web;
using Guichet.Identity.ApiKeys;
using Guichet.Identity.Devices;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.Access;

/// <summary>Authentication scheme names of the host.</summary>
internal static class GuichetSchemes
{
    /// <summary>The default: picks the scheme from the request (API key, device, staff cookie).</summary>
    public const string Default = "Guichet";
    public const string Device = "GuichetDevice";
    public const string ApiKey = "GuichetApiKey";
    public const string DeviceCookie = "__Host-guichet-device";

    public static string Select(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) || context.Request.Headers.ContainsKey("X-Api-Key"))
        {
            return ApiKey;
        }

        if (authorization.StartsWith("Device ", StringComparison.OrdinalIgnoreCase))
        {
            return Device;
        }

        if (context.Request.Cookies.ContainsKey(DeviceCookie) && !context.Request.Cookies.ContainsKey(IdentityModule.StaffCookieName))
        {
            return Device;
        }

        return Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme;
    }
}

/// <summary>Enrolled kiosks and displays: <c>Authorization: Device gd_…</c> or the device cookie.</summary>
internal sealed class DeviceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DeviceRegistry devices,
    IdentityAudit audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        var credential = authorization.StartsWith("Device ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Device ".Length..].Trim()
            : Request.Cookies[GuichetSchemes.DeviceCookie];
        if (string.IsNullOrEmpty(credential))
        {
            return AuthenticateResult.NoResult();
        }

        var device = await devices.AuthenticateAsync(credential, Context.RequestAborted);
        if (device is null)
        {
            await audit.RecordAsync("device.authenticate", AuditOutcome.Failure, cancellationToken: Context.RequestAborted);
            return AuthenticateResult.Fail("The device credential is not valid.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, device.Id.ToString()),
            new(ClaimTypes.Name, device.Name),
            new(GuichetClaimTypes.ActorKind, ActorKinds.Device),
            new(GuichetClaimTypes.ActorId, device.Id.ToString()),
            new(GuichetClaimTypes.Branch, device.BranchId),
        };
        claims.AddRange(Permissions.ByDevice[device.Kind].Select(p => new Claim(GuichetClaimTypes.Permission, p)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}

/// <summary>Integrations: <c>Authorization: ApiKey gk_…</c> or <c>X-Api-Key: gk_…</c>.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry keys,
    IdentityAudit audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        var presented = authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase)
            ? authorization["ApiKey ".Length..].Trim()
            : Request.Headers["X-Api-Key"].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            await audit.RecordAsync("apikey.authenticate", AuditOutcome.Failure, cancellationToken: Context.RequestAborted);
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id.ToString()),
            new(ClaimTypes.Name, key.Name),
            new(ClaimTypes.Role, key.Role.ToString()),
            new(GuichetClaimTypes.ActorKind, ActorKinds.ApiClient),
            new(GuichetClaimTypes.ActorId, key.Id.ToString()),
            new(GuichetClaimTypes.Branch, key.BranchId),
        };
        claims.AddRange(Permissions.ForRoles([key.Role]).Select(p => new Claim(GuichetClaimTypes.Permission, p)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "ApiKey";
        return Task.CompletedTask;
    }
}
