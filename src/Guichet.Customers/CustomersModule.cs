using Guichet.Customers.Api;
using Guichet.Customers.Directory;
using Guichet.Customers.Import;
using Guichet.Customers.Storage;
using Guichet.Privacy;
using Guichet.Privacy.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Guichet.Customers;

/// <summary>Composition entry point of the customer register (data subjects).</summary>
public static class CustomersModule
{
    public static IServiceCollection AddCustomers(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CustomersOptions>().Bind(configuration.GetSection(CustomersOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CustomersOptions>, CustomersOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        CustomersStorage.Add(services);
        AddDirectory(services);
        return services;
    }

    /// <summary>
    /// Maps <c>/api/v1/customers</c>. <paramref name="stepUpPolicy"/> is the host's policy for a
    /// recent second factor, required with the permission on reveal and erase.
    /// </summary>
    public static IEndpointRouteBuilder MapCustomersEndpoints(this IEndpointRouteBuilder endpoints, string stepUpPolicy)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(stepUpPolicy);
        CustomersApi.Map(endpoints.MapGroup("/api/v1"), stepUpPolicy);
        return endpoints;
    }

    /// <summary>
    /// Creates or checks the module's storage before serving: SQLite (embedded) is migrated in
    /// place; PostgreSQL must already be migrated by <c>guichet db migrate</c>.
    /// </summary>
    public static async Task PrepareStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetRequiredService<DatabaseSettings>().Provider == DatabaseProvider.Sqlite)
        {
            await CustomersStorage.MigrateAsync(services, cancellationToken);
            return;
        }

        var pending = await CustomersStorage.PendingMigrationsAsync(services, cancellationToken);
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database lacks {pending.Count} customer migration(s) ({string.Join(", ", pending)}). Run 'guichet db migrate' with the same configuration, then start again.");
        }
    }

    /// <summary>Applies the module's pending migrations (for <c>guichet db migrate</c>); returns how many ran.</summary>
    public static Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        return CustomersStorage.MigrateAsync(services, cancellationToken);
    }

    private static void AddDirectory(IServiceCollection services)
    {
        services.AddScoped<CustomerDirectory>();
        services.AddScoped<IDecoyCustomers, DecoyCustomers>();
        services.AddScoped<CustomerBulkImport>();
        services.AddPersonalDataModel<CustomersDbContext>();
        services.AddProtectedColumnSource<CustomerNameColumn>();
        services.AddProtectedColumnSource<CustomerPhoneColumn>();
        services.AddProtectedColumnSource<CustomerIdNumberColumn>();
        services.AddProtectedColumnSource<CustomerNoteColumn>();
    }
}
