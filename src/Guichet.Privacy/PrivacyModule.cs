using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Indexing;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Redaction;
using Guichet.Privacy.Rotation;
using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guichet.Privacy;

/// <summary>Composition entry point of the privacy kernel.</summary>
public static class PrivacyModule
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddOptions(services, configuration);
        AddKeys(services, configuration);
        AddProtection(services);
        AddLogRedaction(services);
        return services;
    }

    /// <summary>Lets <c>keys rewrap</c> and <c>keys status</c> walk a module's protected column.</summary>
    public static IServiceCollection AddProtectedColumnSource<TSource>(this IServiceCollection services)
        where TSource : class, IProtectedColumnSource
    {
        services.AddScoped<IProtectedColumnSource, TSource>();
        return services;
    }

    /// <summary>Adds a module's DbContext to the data register (<c>guichet privacy register</c>).</summary>
    public static IServiceCollection AddPersonalDataModel<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        services.AddSingleton(new PersonalDataModelRegistration(typeof(TContext)));
        return services;
    }

    /// <summary>
    /// Before serving: opens the root key (a clear <see cref="KeyProviderException"/> when the
    /// passphrase, token or PIN is wrong), warns when keys are unsealed, and creates or checks
    /// the key ring (embedded SQLite migrates itself; PostgreSQL must be migrated explicitly).
    /// </summary>
    public static async Task PrepareStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        await OpenAsync(services, applyMigrations: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For <c>guichet db migrate</c>: applies the key ring's migrations on any provider.</summary>
    /// <returns>How many migrations were applied.</returns>
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var database = services.GetRequiredService<KeyStoreDatabase>();
        var pending = await database.CountPendingMigrationsAsync(cancellationToken).ConfigureAwait(false);
        await OpenAsync(services, applyMigrations: true, cancellationToken).ConfigureAwait(false);
        return pending;
    }

    /// <summary>The data register of every model added with <see cref="AddPersonalDataModel{TContext}"/>.</summary>
    public static IReadOnlyList<DataRegisterEntry> BuildDataRegister(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        using var scope = services.CreateScope();
        var models = services.GetServices<PersonalDataModelRegistration>()
            .Select(r => ((DbContext)scope.ServiceProvider.GetRequiredService(r.ContextType)).Model);
        return DataRegister.Build(models);
    }

    private static async Task OpenAsync(IServiceProvider services, bool applyMigrations, CancellationToken cancellationToken)
    {
        var rootKey = services.GetRequiredService<RootKeyHolder>().RootKey;
        if (rootKey.IsUnsealedFile)
        {
            Log.KeysUnsealed(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PrivacyModule)));
        }

        await services.GetRequiredService<KeyStoreDatabase>().PrepareAsync(applyMigrations, cancellationToken).ConfigureAwait(false);
        // Opens the blind-index root key now, so a wrong root key fails at start, not on first use.
        await services.GetRequiredService<BlindIndexer>().GetKeyAsync("guichet", "startup", "check", cancellationToken).ConfigureAwait(false);
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PrivacyOptions>()
            .Bind(configuration.GetSection(PrivacyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    private static void AddKeys(IServiceCollection services, IConfiguration configuration)
    {
        var paths = KeyStorePaths.From(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(paths);
        services.AddSingleton(KeyStoreDatabase.From(configuration, paths));
        services.AddSingleton(sp => new RootKeyHolder(sp.GetRequiredService<IOptions<PrivacyOptions>>(), paths, sp.GetRequiredService<ILogger<RootKeyHolder>>()));
        services.AddSingleton<ISecretSealer, RootKeySealer>();
        services.AddSingleton<KeyRing>();
        services.AddSingleton<BlindIndexer>();
        services.AddSingleton<KeyRotation>();
    }

    private static void AddProtection(IServiceCollection services)
    {
        services.AddSingleton<PersonalDataProtector>();
        services.AddSingleton<IPersonalDataProtector>(sp => sp.GetRequiredService<PersonalDataProtector>());
        services.AddSingleton<IRevealService, RevealService>();
        services.AddSingleton<IBulkProtector, BulkProtector>();
        services.AddSingleton<IDataSubjectErasure, DataSubjectErasure>();
        services.AddSingleton<SubjectKeyPool>();
        services.AddSingleton<IDataSubjects>(sp => sp.GetRequiredService<SubjectKeyPool>());
        services.AddHostedService(sp => sp.GetRequiredService<SubjectKeyPool>());
        // Fails closed until the audit module registers the ledger (its registration wins).
        services.TryAddSingleton<IAuditTrail, UnavailableAuditTrail>();
        // Records after the change commits until the audit module registers the ledger, which
        // writes entries in the caller's transaction (its registration wins).
        services.TryAddSingleton<IAuditTrailInTransaction, AfterCommitAuditTrail>();
    }

    private static void AddLogRedaction(IServiceCollection services)
    {
        services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<PhoneMaskingRedactor>(GuichetTaxonomy.For(PersonalDataCategory.Phone));
            redaction.SetRedactor<IdNumberMaskingRedactor>(GuichetTaxonomy.For(PersonalDataCategory.NationalId));
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });
        services.AddLogging(logging => logging.EnableRedaction());
        // The discriminator appends ":ParameterName" before redacting, which only hashing
        // redactors need; masks must see the value alone.
        services.Configure<LoggerRedactionOptions>(options => options.ApplyDiscriminator = false);
    }
}

internal sealed record PersonalDataModelRegistration(Type ContextType);
