using Guichet.Privacy.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Guichet.Privacy.Storage;

/// <summary>Opens the key ring's DbContext for the configured provider.</summary>
internal sealed class KeyStoreDatabase
{
    public const string ConnectionStringName = "GuichetKeys";
    private readonly PooledDbContextFactory<SqlitePrivacyDbContext>? _sqlite;
    private readonly PooledDbContextFactory<PostgresPrivacyDbContext>? _postgres;

    // Pooled: the key ring opens a context for every lookup of a key it has not cached (each new
    // customer's), and setting up a fresh context each time cost more than the query.
    private KeyStoreDatabase(DbContextOptions<SqlitePrivacyDbContext>? sqlite, DbContextOptions<PostgresPrivacyDbContext>? postgres)
    {
        _sqlite = sqlite is null ? null : new PooledDbContextFactory<SqlitePrivacyDbContext>(sqlite);
        _postgres = postgres is null ? null : new PooledDbContextFactory<PostgresPrivacyDbContext>(postgres);
    }

    public bool IsSqlite => _sqlite is not null;

    public static KeyStoreDatabase From(IConfiguration configuration, KeyStorePaths paths)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (DatabaseSettings.ProviderOf(configuration) == DatabaseProvider.Postgres)
        {
            connectionString = connectionString is null
                ? DatabaseSettings.ConnectionStringOf(configuration)
                    ?? throw new InvalidOperationException("ConnectionStrings:Guichet (or ConnectionStrings:GuichetKeys) is required for the Postgres provider.")
                : PostgresAutoPrepare.Apply(connectionString);
            return Postgres(connectionString);
        }

        return Sqlite(connectionString ?? $"Data Source={Path.Combine(paths.KeyDirectory, "keyring.db")}");
    }

    public static KeyStoreDatabase Sqlite(string connectionString) =>
        new(SqliteContextConnection.Use(new DbContextOptionsBuilder<SqlitePrivacyDbContext>()
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(PrivacyDbContext.MigrationsHistoryTable))
            .AddInterceptors(SqlitePragmas.KeyStore))
            .Options, null);

    public static KeyStoreDatabase Postgres(string connectionString) =>
        new(null, new DbContextOptionsBuilder<PostgresPrivacyDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(PrivacyDbContext.MigrationsHistoryTable))
            .Options);

    public PrivacyDbContext Open() => _sqlite is not null ? _sqlite.CreateDbContext() : _postgres!.CreateDbContext();

    public async Task<int> CountPendingMigrationsAsync(CancellationToken cancellationToken)
    {
        var context = Open();
        await using (context.ConfigureAwait(false))
        {
            // Probing a missing SQLite file would create it with default permissions.
            if (IsSqlite && context.Database.GetDbConnection().DataSource is { Length: > 0 } file && !File.Exists(file))
            {
                return context.Database.GetMigrations().Count();
            }

            return (await context.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).Count();
        }
    }

    /// <summary>
    /// Creates or upgrades the key ring. SQLite (embedded, the default) migrates itself;
    /// PostgreSQL is migrated by <c>guichet db migrate</c>, and refuses to serve while behind.
    /// </summary>
    public async Task PrepareAsync(bool applyMigrations, CancellationToken cancellationToken)
    {
        var context = Open();
        await using (context.ConfigureAwait(false))
        {
            if (IsSqlite || applyMigrations)
            {
                if (IsSqlite && context.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.GetDirectoryName(file) is { Length: > 0 } folder)
                {
                    if (OperatingSystem.IsWindows())
                    {
                        Directory.CreateDirectory(folder);
                    }
                    else
                    {
                        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                        CreateOwnerOnlyFile(file);
                    }
                }

                await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var pending = await context.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false);
            if (pending.Any())
            {
                throw new InvalidOperationException("The key ring schema is behind; run 'guichet db migrate' first.");
            }
        }
    }

    /// <summary>Creates the key ring file as 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateOwnerOnlyFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created concurrently by another process.
        }
    }
}
