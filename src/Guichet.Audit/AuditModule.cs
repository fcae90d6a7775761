using Guichet.Audit.Ledger;
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
        return services;
    }

    /// <summary>
    /// Creates or checks the ledger's tables before serving. The embedded SQLite database is
    /// migrated here; a PostgreSQL store must already be migrated (<see cref="MigrateStorageAsync"/>).
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

    /// <summary>Applies the ledger's migrations on either provider (for <c>guichet db migrate</c>).</summary>
    public static async Task MigrateStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var db = services.GetRequiredService<AuditStore>().CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
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
        // Replaces any placeholder trail another module registered with TryAdd.
        services.RemoveAll<IAuditTrail>();
        services.AddSingleton<IAuditTrail>(provider => provider.GetRequiredService<LedgerWriter>());
    }
}
