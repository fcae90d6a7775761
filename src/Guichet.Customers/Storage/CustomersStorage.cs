using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guichet.Customers.Storage;

/// <summary>Registers the customers' DbContext for the configured provider and brings its schema up to date.</summary>
internal static class CustomersStorage
{
    /// <summary>Every connection: WAL, synchronous=FULL (acknowledged means fsynced), foreign keys enforced.</summary>
    private static readonly SqlitePragmas DurableSqlite = new("PRAGMA foreign_keys=ON;");

    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<DatabaseSettings>();

        services.AddDbContext<SqliteCustomersDbContext>((provider, options) =>
            ConfigureSqlite(options, provider.GetRequiredService<DatabaseSettings>().ConnectionString));
        services.AddDbContext<PostgresCustomersDbContext>((provider, options) =>
            ConfigurePostgres(options, provider.GetRequiredService<DatabaseSettings>().ConnectionString));
        services.AddScoped<CustomersDbContext>(provider =>
            provider.GetRequiredService<DatabaseSettings>().Provider == DatabaseProvider.Postgres
                ? provider.GetRequiredService<PostgresCustomersDbContext>()
                : provider.GetRequiredService<SqliteCustomersDbContext>());
    }

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(CustomersDbContext.MigrationsHistoryTable))
            .AddInterceptors(DurableSqlite);

    public static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(CustomersDbContext.MigrationsHistoryTable));

    /// <summary>Applies pending migrations; returns how many were applied.</summary>
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDbContext>();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }
}
