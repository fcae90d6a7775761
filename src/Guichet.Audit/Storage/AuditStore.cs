using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Guichet.Audit.Storage;

/// <summary>
/// Opens the ledger's tables in the installation's database, as configured by
/// <c>Database:Provider</c> and <c>ConnectionStrings:Guichet</c> (docs/architecture.md).
/// </summary>
internal sealed class AuditStore
{
    // Pooled: the ledger writer opens a context for every batch, and a new context's first
    // query spent more on resolving its services than the batch's own statements.
    private readonly PooledDbContextFactory<SqliteAuditDbContext>? sqlite;
    private readonly PooledDbContextFactory<PostgresAuditDbContext>? postgres;

    private readonly Lazy<SqliteWriteTurn?> writeTurn;

    public AuditStore(DatabaseProvider provider, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ConnectionString = connectionString;
        writeTurn = new(() => provider == DatabaseProvider.Sqlite ? SqliteWriteTurn.For(connectionString) : null);
        if (provider == DatabaseProvider.Postgres)
        {
            postgres = new(ConfigurePostgres(new DbContextOptionsBuilder<PostgresAuditDbContext>(), connectionString).Options);
        }
        else
        {
            sqlite = new(ConfigureSqlite(new DbContextOptionsBuilder<SqliteAuditDbContext>(), connectionString).Options);
        }
    }

    public string ConnectionString { get; }

    public bool IsPostgres => postgres is not null;

    /// <summary>
    /// The SQLite file's write turn, shared with the queue's writers in the same file; null on
    /// PostgreSQL, where appends serialise on an advisory lock instead.
    /// </summary>
    public SqliteWriteTurn? WriteTurn => writeTurn.Value;

    public static AuditStore FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = DatabaseSettings.ProviderOf(configuration);
        var connectionString = DatabaseSettings.ConnectionStringOf(configuration);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var dataDirectory = configuration["Guichet:DataDirectory"] ?? "data";
            connectionString = $"Data Source={Path.Combine(dataDirectory, "guichet.db")}";
        }

        return new AuditStore(provider, connectionString);
    }

    // WAL and synchronous=FULL: an entry has been fsynced before the ledger acknowledges it (P9;
    // fail-closed reveals rely on it). The shared busy timeout is the ledger's own.
    private static readonly SqlitePragmas Durability = new();

    public AuditDbContext CreateContext() =>
        sqlite is not null ? sqlite.CreateDbContext() : postgres!.CreateDbContext();

    internal static DbContextOptionsBuilder<T> ConfigureSqlite<T>(DbContextOptionsBuilder<T> builder, string connectionString)
        where T : DbContext =>
        SqliteContextConnection.Use(builder
            .UseSqlite(connectionString, sql => sql.MigrationsHistoryTable(AuditDbContext.HistoryTable))
            .AddInterceptors(Durability));

    internal static DbContextOptionsBuilder<T> ConfigurePostgres<T>(DbContextOptionsBuilder<T> builder, string connectionString)
        where T : DbContext =>
        builder.UseNpgsql(connectionString, sql => sql.MigrationsHistoryTable(AuditDbContext.HistoryTable));
}
