using Guichet.Privacy.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Privacy.Tests.Storage;

public sealed class SqlitePragmasTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("guichet-pragmas-").FullName;

    [Fact]
    public async Task Every_connection_is_durable_whether_fresh_or_reused_from_the_pool()
    {
        var pragmas = new SqlitePragmas("PRAGMA foreign_keys=ON;");
        var connectionString = $"Data Source={Path.Combine(directory, "pragmas.db")}";

        // One after another: the pool hands back the same native connection.
        for (var i = 0; i < 3; i++)
        {
            await using var context = NewContext(connectionString, pragmas);
            Assert.Equal((2L, "wal", 1L, 10_000L, -256L), await ReadAsync(context));
        }

        // At the same time: two native connections, each set up.
        await using var first = NewContext(connectionString, pragmas);
        await using var second = NewContext(connectionString, pragmas);
        await first.Database.OpenConnectionAsync();
        await second.Database.OpenConnectionAsync();
        Assert.NotSame(
            ((SqliteConnection)first.Database.GetDbConnection()).Handle,
            ((SqliteConnection)second.Database.GetDbConnection()).Handle);
        Assert.Equal((2L, "wal", 1L, 10_000L, -256L), await ReadAsync(first));
        Assert.Equal((2L, "wal", 1L, 10_000L, -256L), await ReadAsync(second));
    }

    [Fact]
    public async Task A_native_connection_the_pool_replaced_is_set_up_again()
    {
        // busy_timeout and cache_size differ from a bare connection's: they show whether the
        // pragmas ran on this one (foreign keys are on by default in this SQLite build).
        var pragmas = new SqlitePragmas("PRAGMA foreign_keys=ON;");
        var connectionString = $"Data Source={Path.Combine(directory, "replaced.db")}";
        await using (var context = NewContext(connectionString, pragmas))
        {
            await ReadAsync(context);
        }

        SqliteConnection.ClearAllPools();
        await using var again = NewContext(connectionString, pragmas);
        Assert.Equal((2L, "wal", 1L, 10_000L, -256L), await ReadAsync(again));
    }

    [Fact]
    public async Task A_mistyped_pragma_fails_the_open_rather_than_being_skipped()
    {
        // journal_mode returns a row; a failing statement after one is where a plain
        // ExecuteNonQuery stops without an error, leaving the rest unset.
        var pragmas = new SqlitePragmas("PRAGMA foreign_keys=ON; PRAGMA_mistyped; PRAGMA cache_size=-128;");
        var connectionString = $"Data Source={Path.Combine(directory, "mistyped.db")}";

        await using (var context = NewContext(connectionString, pragmas))
        {
            var error = await Assert.ThrowsAsync<SqliteException>(() => context.Database.OpenConnectionAsync());
            Assert.Contains("PRAGMA_mistyped", error.Message, StringComparison.Ordinal);
        }

        using var context2 = NewContext(connectionString, pragmas);
        var syncError = Assert.Throws<SqliteException>(() => context2.Database.OpenConnection());
        Assert.Contains("PRAGMA_mistyped", syncError.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static DbContext NewContext(string connectionString, SqlitePragmas pragmas) =>
        new(new DbContextOptionsBuilder().UseSqlite(connectionString).AddInterceptors(pragmas).Options);

    private static async Task<(long Synchronous, string JournalMode, long ForeignKeys, long BusyTimeout, long CacheSize)> ReadAsync(DbContext context)
    {
        await context.Database.OpenConnectionAsync();
        try
        {
            var connection = context.Database.GetDbConnection();
            return ((long)(await ScalarAsync(connection, "PRAGMA synchronous"))!,
                (string)(await ScalarAsync(connection, "PRAGMA journal_mode"))!,
                (long)(await ScalarAsync(connection, "PRAGMA foreign_keys"))!,
                (long)(await ScalarAsync(connection, "PRAGMA busy_timeout"))!,
                (long)(await ScalarAsync(connection, "PRAGMA cache_size"))!);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
