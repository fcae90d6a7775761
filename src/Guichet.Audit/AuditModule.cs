using Guichet.Audit.Detection;
using Guichet.Audit.Honeytokens;
using Guichet.Audit.Ledger;
using Guichet.Audit.Response;
using Guichet.Audit.Search;
using Guichet.Audit.Storage;
using Guichet.Audit.Verification;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Guichet.Audit;

/// <summary>Composition entry point of the audit ledger.</summary>
public static class AuditModule
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddOptions(services, configuration);
        AddLedger(services, configuration);
        AddDetection(services);
        AddResponse(services);
        return services;
    }

    /// <summary>
    /// Creates or checks the ledger's tables before serving. The embedded SQLite database is
    /// migrated here; a PostgreSQL store must already be migrated (<see cref="MigrateAsync"/>).
    /// </summary>
    public static async Task PrepareStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<AuditStore>();
        await using var db = store.CreateContext();
        if (!store.IsPostgres)
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
        if (pending.Any())
        {
            throw new InvalidOperationException("The audit ledger's PostgreSQL schema is not up to date; run `guichet db migrate` first.");
        }
    }

    /// <summary>Applies the ledger's pending migrations on either provider (for <c>guichet db migrate</c>); returns how many ran.</summary>
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var db = services.GetRequiredService<AuditStore>().CreateContext();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    private static void AddDetection(IServiceCollection services)
    {
        services.TryAddSingleton<IBranchHoursProvider, UnknownBranchHours>();
        services.TryAddSingleton<IHoneytokenPlanter, ReservedIdHoneytokenPlanter>();
        services.TryAddSingleton<HoneytokenRegistry>();
        services.TryAddSingleton<ClientBlocklist>();
        services.TryAddSingleton<IClientBlocklist>(provider => provider.GetRequiredService<ClientBlocklist>());
        services.TryAddSingleton<AnomalyDetector>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILedgerObserver, AnomalyDetector>(provider => provider.GetRequiredService<AnomalyDetector>()));
    }

    private static void AddResponse(IServiceCollection services)
    {
        services.TryAddScoped<IAccountFreezer, LoggingAccountFreezer>();
        services.TryAddSingleton<AlertFeed>();
        services.TryAddSingleton<IAlertFeed>(provider => provider.GetRequiredService<AlertFeed>());
        services.TryAddSingleton<AlertResponder>();
        services.TryAddSingleton<IAlertDesk, AlertDesk>();
        services.AddHttpClient(WebhookAlertChannel.ClientName);
        services.TryAddSingleton<IAlertMailer, SmtpAlertMailer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertChannel, WebhookAlertChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertChannel, EmailAlertChannel>());
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.Section))
            .PostConfigure(options => options.CheckpointFile ??= Path.Combine(
                configuration["Guichet:DataDirectory"] ?? "data", "audit", "checkpoints.log"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
    }

    private static void AddLedger(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => AuditStore.FromConfiguration(configuration));
        services.TryAddSingleton<CheckpointSigner>();
        services.TryAddSingleton<LedgerWriter>();
        services.TryAddSingleton<LedgerVerifier>();
        services.TryAddSingleton<IAuditSearch, AuditSearch>();
        // Replaces any placeholder trail another module registered with TryAdd.
        services.RemoveAll<IAuditTrail>();
        services.AddSingleton<IAuditTrail>(provider => provider.GetRequiredService<LedgerWriter>());
        services.RemoveAll<IAuditTrailInTransaction>();
        services.AddSingleton<IAuditTrailInTransaction>(provider => provider.GetRequiredService<LedgerWriter>());
    }
}
