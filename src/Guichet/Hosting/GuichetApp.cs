using Guichet.Audit;
using Guichet.Components;
using Guichet.Customers;
using Guichet.Hall;
using Guichet.Hosting.Wiring;
using Guichet.Identity;
using Guichet.Identity.Access;
using Guichet.Privacy;
using Guichet.Queueing;

namespace Guichet.Hosting;

/// <summary>
/// Composes the web host from the modules. <c>serve</c> and the integration tests both build
/// the application here, so tests exercise the same pipeline users get.
/// </summary>
internal static class GuichetApp
{
    public static WebApplication Build(HostSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GuichetApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = settings.EnvironmentName ?? Environments.Production,
        });

        // Serve wwwroot, framework and library assets from a build output (dotnet run, tests)
        // in every environment, not only Development; a published app has no manifest to read.
        builder.WebHost.UseStaticWebAssets();
        GuichetConfiguration.AddSources(builder.Configuration, settings);

        ConfigureKestrel(builder, settings);
        AddWeb(builder.Services);
        builder.Services.AddPrivacy(builder.Configuration);
        builder.Services.AddAudit(builder.Configuration);
        builder.Services.AddQueueing(builder.Configuration);
        builder.Services.AddHostCustomers(builder.Configuration);
        builder.Services.AddGuichetIdentity(builder.Configuration);
        builder.Services.AddAuditWiring();
        configure?.Invoke(builder);

        var app = builder.Build();
        UseWeb(app);
        return app;
    }

    /// <summary>The pages an operator is shown on start, in the order a hall is set up.</summary>
    public static IReadOnlyList<(string Name, string Path)> PublicPages { get; } =
    [
        ("Kiosk", "/kiosk"),
        ("Display board", "/display"),
        ("Counter console", "/counter"),
        ("Administration", "/admin"),
    ];

    /// <summary>
    /// Brings storage up to date before serving. The embedded SQLite default creates and
    /// migrates its own database; a shared PostgreSQL store is migrated only by
    /// <c>guichet db migrate</c>, and serving refuses to start on a stale schema.
    /// </summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        await PrivacyModule.PrepareStorageAsync(scope.ServiceProvider, cancellationToken);
        await AuditModule.PrepareStorageAsync(scope.ServiceProvider, cancellationToken);
        await QueueingModule.PrepareStorageAsync(scope.ServiceProvider, cancellationToken);
        await CustomersModule.PrepareStorageAsync(scope.ServiceProvider, cancellationToken);
        await IdentityModule.PrepareIdentityStorageAsync(scope.ServiceProvider, cancellationToken);
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, HostSettings settings)
    {
        builder.WebHost.UseUrls([.. settings.Urls]);
        var certificate = TlsCertificate.Load(settings, TimeProvider.System, out var created);
        if (created)
        {
            Console.Error.WriteLine($"Created a self-signed TLS certificate for localhost in {Path.Combine(settings.DataDirectory, "tls")}. Give a real one with --tls-cert for anything but local use.");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
            });
        });

        var httpsPort = settings.Urls
            .Select(url => Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null)
            .FirstOrDefault(uri => uri is { Scheme: "https" })?.Port;
        // Port 0 (tests) is bound later; the redirect middleware then reads the bound address.
        httpsPort = httpsPort == 0 ? null : httpsPort;
        builder.Services.AddHttpsRedirection(options => options.HttpsPort = httpsPort);
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
    }

    private static void AddWeb(IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddProblemDetails();
        services.AddOpenApi("v1");
        services.AddAntiforgery(options =>
        {
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
    }

    private static void UseWeb(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHsts();
        app.UseHttpsRedirection();
        app.UseSecurityHeaders();
        app.UseSignInAddressBlock();
        app.UseGuichetIdentity();
        app.UseAntiforgery();
        app.UseRateLimiter();

        app.MapStaticAssets();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
        app.MapQueueingEndpoints();
        app.MapCustomersEndpoints(GuichetPolicies.StepUp);
        app.MapTrackerQrCode();
        app.MapGuichetIdentityEndpoints();
        app.MapAlertStream();
        app.MapRazorComponents<App>();
    }
}
