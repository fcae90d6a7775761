using Guichet.Privacy.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Guichet.Identity.Data;

/// <summary>Registers the identity store for the configured provider and brings it up to date.</summary>
internal static class IdentityStorage
{
    /// <summary>The most idle identity contexts kept for reuse.</summary>
    public const int ContextPoolSize = 64;

    public static bool IsPostgres(IConfiguration configuration) =>
        DatabaseSettings.ProviderOf(configuration) == DatabaseProvider.Postgres;

    public static void AddIdentityStore(IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = DatabaseSettings.ConnectionStringOf(configuration)
            ?? throw new InvalidOperationException("ConnectionStrings:Guichet is not set.");
        // Pooled: every API call authenticates its key through this context, and a new context's
        // first query pays for resolving its services, more than the query itself.
        if (IsPostgres(configuration))
        {
            services.AddDbContextPool<GuichetIdentityDbContext, PostgresIdentityDbContext>(options => ConfigurePostgres(options, connectionString), ContextPoolSize);
        }
        else
        {
            services.AddDbContextPool<GuichetIdentityDbContext, SqliteIdentityDbContext>(options => ConfigureSqlite(options, connectionString), ContextPoolSize);
        }
    }

    // WAL and synchronous=FULL: an acknowledged write has been fsynced.
    private static readonly SqlitePragmas Durability = new("PRAGMA busy_timeout=30000;");

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        SqliteContextConnection.Use(options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(GuichetIdentityDbContext.MigrationsHistoryTable))
            .AddInterceptors(Durability));

    public static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(GuichetIdentityDbContext.MigrationsHistoryTable));

    /// <summary>SQLite migrates itself; PostgreSQL must already be migrated by <c>guichet db migrate</c>.</summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<GuichetIdentityDbContext>();
        if (db is SqliteIdentityDbContext)
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
        if (pending.Any())
        {
            throw new Hosting.HostConfigurationException("The identity schema has pending migrations; run 'guichet db migrate' first.");
        }
    }

    /// <summary>Applies migrations explicitly (both providers), for <c>guichet db migrate</c>.</summary>
    public static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<GuichetIdentityDbContext>().Database.MigrateAsync(cancellationToken);
}

/// <summary>Design-time factories for <c>dotnet ef migrations add</c>, one per provider.</summary>
internal sealed class SqliteIdentityDesignTimeFactory : IDesignTimeDbContextFactory<SqliteIdentityDbContext>
{
    public SqliteIdentityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteIdentityDbContext>();
        ConfigureSqliteDesign(options);
        return new SqliteIdentityDbContext(options.Options);
    }

    private static void ConfigureSqliteDesign(DbContextOptionsBuilder<SqliteIdentityDbContext> options)
    {
        IdentityStorage.ConfigureSqlite(options, "Data Source=design.db");
        options.UseApplicationServiceProvider(DesignServices.Create());
    }
}

internal sealed class PostgresIdentityDesignTimeFactory : IDesignTimeDbContextFactory<PostgresIdentityDbContext>
{
    public PostgresIdentityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresIdentityDbContext>();
        IdentityStorage.ConfigurePostgres(options, "Host=localhost;Database=guichet_design");
        options.UseApplicationServiceProvider(DesignServices.Create());
        return new PostgresIdentityDbContext(options.Options);
    }
}

internal static class DesignServices
{
    // Identity reads the schema version from IdentityOptions through the application services.
    public static ServiceProvider Create()
    {
        var services = new ServiceCollection();
        services.Configure<IdentityOptions>(options => options.Stores.SchemaVersion = IdentitySchemaVersions.Version3);
        return services.BuildServiceProvider();
    }
}
