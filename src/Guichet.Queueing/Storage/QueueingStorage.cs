using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guichet.Queueing.Storage;

/// <summary>Registers the queue's DbContext for the configured provider and brings its schema up to date.</summary>
internal static class QueueingStorage
{
    /// <summary>Every connection: WAL, synchronous=FULL (acknowledged means fsynced), foreign keys enforced.</summary>
    private static readonly SqlitePragmas DurableSqlite = new("PRAGMA foreign_keys=ON;");

    private const int ContextPoolSize = 128;

    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<DatabaseSettings>();
        services.AddSingleton<QueueWriteGate>();
        // Pooled: every request, live render and batch takes a context, and a reused one spares
        // the allocations of a new one (about a third of a busy hall's garbage). The pool keeps
        // at most ContextPoolSize idle contexts; beyond that they are disposed as usual.
        services.AddDbContextPool<SqliteQueueingDbContext>(
            (provider, options) => ConfigureSqlite(options, provider.GetRequiredService<DatabaseSettings>().ConnectionString), ContextPoolSize);
        services.AddDbContextPool<PostgresQueueingDbContext>(
            (provider, options) => ConfigurePostgres(options, provider.GetRequiredService<DatabaseSettings>().ConnectionString), ContextPoolSize);
        services.AddScoped<QueueingDbContext>(provider =>
            provider.GetRequiredService<DatabaseSettings>().Provider == DatabaseProvider.Postgres
                ? provider.GetRequiredService<PostgresQueueingDbContext>()
                : provider.GetRequiredService<SqliteQueueingDbContext>());
    }

    // A list in a query (a counter's services, a member of staff's branches) goes as one array
    // parameter. EF Core 10's default, one parameter per element, makes the SQL depend on the
    // list's length, and EF Core then generates it again on every execution, compiled queries
    // included: every counter action paid for it twice.
    private const ParameterTranslationMode ListsAsOneParameter = ParameterTranslationMode.Parameter;

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        SqliteContextConnection.Use(options
            .UseSqlite(connectionString, sqlite => sqlite
                .MigrationsHistoryTable(QueueingDbContext.MigrationsHistoryTable)
                .UseParameterizedCollectionMode(ListsAsOneParameter))
            .AddInterceptors(DurableSqlite));

    public static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql
            .MigrationsHistoryTable(QueueingDbContext.MigrationsHistoryTable)
            .UseParameterizedCollectionMode(ListsAsOneParameter));

    /// <summary>Applies pending migrations; returns how many were applied.</summary>
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QueueingDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QueueingDbContext>();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }
}
