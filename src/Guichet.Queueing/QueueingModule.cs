using Guichet.Privacy;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Storage;
using Guichet.Queueing.Api;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Configuration;
using Guichet.Queueing.Demo;
using Guichet.Queueing.Live;
using Guichet.Queueing.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Guichet.Queueing;

/// <summary>Composition entry point of the service-hall queue.</summary>
public static class QueueingModule
{
    public static IServiceCollection AddQueueing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QueueingOptions>().Bind(configuration.GetSection(QueueingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueueingOptions>, QueueingOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        QueueingStorage.Add(services);
        AddCalling(services);
        AddLiveEvents(services);
        AddRateLimits(services);
        return services;
    }

    public static IEndpointRouteBuilder MapQueueingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api/v1");
        PublicQueueApi.Map(api);
        CounterApi.Map(api);
        ConfigurationApi.Map(api);
        return endpoints;
    }

    /// <summary>
    /// Creates or checks the module's storage before serving. SQLite (embedded) is migrated in
    /// place; PostgreSQL must already be migrated by <c>guichet db migrate</c>. Seeds the demo
    /// branch when <c>Guichet:Demo</c> is true.
    /// </summary>
    public static async Task PrepareStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = services.GetRequiredService<DatabaseSettings>();
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            await QueueingStorage.MigrateAsync(services, cancellationToken);
        }
        else
        {
            var pending = await QueueingStorage.PendingMigrationsAsync(services, cancellationToken);
            if (pending.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL database lacks {pending.Count} queue migration(s) ({string.Join(", ", pending)}). Run 'guichet db migrate' with the same configuration, then start again.");
            }
        }

        if (services.GetRequiredService<IConfiguration>().GetValue<bool>("Guichet:Demo"))
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
        }
    }

    /// <summary>Applies the module's pending migrations (for <c>guichet db migrate</c>); returns how many ran.</summary>
    public static Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        return QueueingStorage.MigrateAsync(services, cancellationToken);
    }

    private static void AddCalling(IServiceCollection services)
    {
        services.AddSingleton<WaitEstimator>();
        services.AddScoped<TicketDesk>();
        services.AddSingleton<TicketIssuer>();
        services.AddScoped<IBranchOpeningHours, BranchOpeningHours>();
        services.AddScoped<TicketPhones>();
        services.AddProtectedColumnSource<TicketPhoneColumn>();
        services.AddProtectedColumnSource<TicketCustomerNameColumn>();
        services.AddScoped<TicketCustomerNames>();
        services.AddPersonalDataModel<QueueingDbContext>();
        services.AddScoped<CounterDesk>();
        services.AddSingleton<CounterActionWriter>();
        services.AddScoped<IBranchConfiguration, BranchConfigurator>();
        services.AddScoped<DemoSeeder>();
        // The audit module replaces this with the ledger; until then staff actions are not audited.
        services.TryAddSingleton<IAuditTrail, NoAuditTrail>();
    }

    private static void AddLiveEvents(IServiceCollection services)
    {
        services.TryAddSingleton<IQueueEvents, InProcessQueueEvents>();
        services.AddSingleton<DisplayCallRenderer>();
        services.AddSingleton<TrackerOutlooks>();
    }

    private static void AddRateLimits(IServiceCollection services)
    {
        services.AddSingleton<OnlineTicketLimiter>();
        services.AddRateLimiter(options => options.AddPolicy<string, TicketRateLimitPolicy>(TicketRateLimitPolicy.Name));
    }

    private sealed class NoAuditTrail : IAuditTrail
    {
        public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) => ValueTask.FromResult(0L);
    }
}
