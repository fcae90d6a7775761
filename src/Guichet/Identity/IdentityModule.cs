using System.Threading.RateLimiting;
using Guichet.Components.Account;
using Guichet.Identity.Access;
using Guichet.Identity.Accounts;
using Guichet.Identity.ApiKeys;
using Guichet.Identity.Data;
using Guichet.Identity.Devices;
using Guichet.Identity.Keys;
using Guichet.Identity.Sessions;
using Guichet.Identity.SignIn;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Keys;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guichet.Identity;

/// <summary>
/// Staff sign-in (password + TOTP or passkey), roles and branch scope, sessions, step-up,
/// enrolled devices and API keys. The host calls the three entry points below.
/// </summary>
internal static class IdentityModule
{
    public const string StaffCookieName = "__Host-guichet";
    public const string SignInRateLimitPolicy = "guichet-signin";

    public static IServiceCollection AddGuichetIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GuichetIdentityOptions>().Bind(configuration.GetSection(GuichetIdentityOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<GuichetIdentityOptions>, GuichetIdentityOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAuditTrail, NoOpAuditTrail>();
        services.AddHttpContextAccessor();
        AddIdentityStorage(services, configuration);
        AddDataProtection(services, configuration);
        AddAccounts(services);
        AddAuthentication(services);
        AddAuthorization(services);
        AddRateLimits(services);
        AddServices(services);
        return services;
    }

    public static WebApplication UseGuichetIdentity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static IEndpointRouteBuilder MapGuichetIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        IdentityEndpoints.Map(endpoints);
        return endpoints;
    }

    /// <summary>Creates or checks the identity tables and the staff roles (see the host's PrepareAsync).</summary>
    public static async Task PrepareIdentityStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await IdentityStorage.PrepareAsync(services, cancellationToken);
        await services.GetRequiredService<StaffAccounts>().EnsureRolesAsync(cancellationToken);
    }

    /// <summary>The identity tables alone (for <c>guichet db migrate</c>, which needs no sign-in machinery).</summary>
    public static void AddIdentityStorage(IServiceCollection services, IConfiguration configuration)
    {
        // The EF model of the passkey tables depends on the schema version, read from IdentityOptions.
        services.Configure<IdentityOptions>(options => options.Stores.SchemaVersion = IdentitySchemaVersions.Version3);
        IdentityStorage.AddIdentityStore(services, configuration);
    }

    /// <summary>For <c>guichet db migrate</c>: applies the identity schema's migrations on any provider.</summary>
    /// <returns>How many migrations were applied.</returns>
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GuichetIdentityDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    private static void AddDataProtection(IServiceCollection services, IConfiguration configuration)
    {
        // Keys live in the data directory (owner-only), not in the service account's home, so
        // cookies and protected authenticator keys survive restarts and move with backups. Each
        // key is sealed under the privacy kernel's root key before it is written: a copy of the
        // data directory without the passphrase or the token opens no cookie and no TOTP secret.
        var dataDirectory = configuration["Guichet:DataDirectory"] ?? Path.GetFullPath("data");
        var keys = Path.Combine(dataDirectory, "dataprotection");
        Hosting.DataDirectory.CreatePrivateDirectory(keys);
        services.AddDataProtection()
            .SetApplicationName("guichet")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.AddOptions<KeyManagementOptions>()
            .Configure<ISecretSealer>((options, sealer) => options.XmlEncryptor = new SealedXmlEncryptor(sealer));
    }

    private static void AddAccounts(IServiceCollection services)
    {
        services.AddIdentityCore<GuichetUser>(options =>
            {
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = false;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789._-";
                // Length over composition rules (NIST SP 800-63B §5.1.1.2); the common-password
                // list does the rest.
                options.Password.RequiredLength = CommonPasswordValidator.MinimumLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                // Failures are counted by SignInThrottleService (per account and per address,
                // growing delay); Identity's lockout end is used for frozen accounts only.
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 1000;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<GuichetIdentityDbContext>()
            .AddSignInManager<GuichetSignInManager>()
            .AddClaimsPrincipalFactory<GuichetClaimsPrincipalFactory>()
            .AddTokenProvider<TotpAuthenticatorProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddPasswordValidator<CommonPasswordValidator>();
        services.Replace(ServiceDescriptor.Scoped<IUserStore<GuichetUser>, GuichetUserStore>());
    }

    private static void AddAuthentication(IServiceCollection services)
    {
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = GuichetSchemes.Default;
                options.DefaultChallengeScheme = GuichetSchemes.Default;
                options.DefaultForbidScheme = GuichetSchemes.Default;
            })
            .AddPolicyScheme(GuichetSchemes.Default, "Guichet", options => options.ForwardDefaultSelector = GuichetSchemes.Select)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, DeviceAuthenticationHandler>(GuichetSchemes.Device, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(GuichetSchemes.ApiKey, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = StaffCookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.SlidingExpiration = true;
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/access-denied";
            options.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = SessionValidation.ValidateAsync,
                OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden),
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<Microsoft.Extensions.Options.IOptionsMonitor<GuichetIdentityOptions>>((options, settings) => options.ExpireTimeSpan = settings.CurrentValue.IdleTimeout);
        foreach (var (scheme, name) in new[]
        {
            (IdentityConstants.TwoFactorUserIdScheme, "__Host-guichet-2fa"),
            (IdentityConstants.ExternalScheme, "__Host-guichet-ext"),
            (IdentityConstants.TwoFactorRememberMeScheme, "__Host-guichet-2fa-remember"),
        })
        {
            services.Configure<CookieAuthenticationOptions>(scheme, options =>
            {
                options.Cookie.Name = name;
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            });
        }

        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            // A password, factor or role change reaches other sessions within a minute even
            // if they were not ended explicitly (they are).
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            options.OnRefreshingPrincipal = SessionValidation.KeepSessionClaims;
        });
    }

    private static void AddAuthorization(IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(GuichetPolicies.StepUp, policy => policy.RequireAuthenticatedUser()
                .RequireClaim(GuichetClaimTypes.ActorKind, ActorKinds.Staff)
                .AddRequirements(new StepUpRequirement()))
            .AddPolicy(GuichetPolicies.Staff, policy => policy.RequireAuthenticatedUser().RequireClaim(GuichetClaimTypes.ActorKind, ActorKinds.Staff))
            .AddPolicy(GuichetPolicies.Device, policy => policy.RequireAuthenticatedUser().RequireClaim(GuichetClaimTypes.ActorKind, ActorKinds.Device));
        services.Configure<AuthorizationOptions>(options =>
        {
            foreach (var permission in Permissions.All)
            {
                options.AddPolicy(permission, PermissionPolicyProvider.ForPermission(permission));
            }
        });
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, StepUpHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, StepUpResultHandler>();
        services.AddCascadingAuthenticationState();
    }

    private static void AddRateLimits(IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignInRateLimitPolicy, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = PermitsOf(context), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("read"));
        });
    }

    private static void AddServices(IServiceCollection services)
    {
        services.AddScoped<IdentityAudit>();
        services.AddScoped<StaffSessions>();
        services.AddScoped<SignInThrottleService>();
        services.AddScoped<StaffAccounts>();
        services.AddScoped<IAccountFreezer, AccountFreezer>();
        services.AddScoped<DeviceRegistry>();
        services.AddScoped<ApiKeyRegistry>();
        services.AddScoped<StaffSignIn>();
        services.AddScoped<IdentityRedirectManager>();
        services.AddHostedService<SetupLinkPrinter>();
    }

    private static int PermitsOf(HttpContext context) =>
        context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<GuichetIdentityOptions>>().CurrentValue.SignInPostsPerMinute;

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IdentityEndpoints.IsApiRequest(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
