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

    /// <summary>The most idle contexts kept for reuse.</summary>
    public const int ContextPoolSize = 64;

    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<DatabaseSettings>();

        // Pooled: every search and view takes a context, and a new context's first query spent
        // more on resolving its services than on the query.
        services.AddDbContextPool<SqliteCustomersDbContext>(
            (provider, options) => ConfigureSqlite(options, provider.GetRequiredService<DatabaseSettings>().ConnectionString), ContextPoolSize);
        services.AddDbContextPool<PostgresCustomersDbContext>(
            (provider, options) => ConfigurePostgres(options, provider.GetRequiredService<DatabaseSettings>().ConnectionString), ContextPoolSize);
        services.AddScoped<CustomersDbContext>(provider =>
            provider.GetRequiredService<DatabaseSettings>().Provider == DatabaseProvider.Postgres
                ? provider.GetRequiredService<PostgresCustomersDbContext>()
                : provider.GetRequiredService<SqliteCustomersDbContext>());
    }

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        SqliteContextConnection.Use(options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(CustomersDbContext.MigrationsHistoryTable))
            .AddInterceptors(DurableSqlite));

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
