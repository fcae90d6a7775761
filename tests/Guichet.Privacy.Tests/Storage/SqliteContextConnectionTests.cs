using System.Data;
using System.Data.Common;
using Guichet.Privacy.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Guichet.Privacy.Tests.Storage;

public sealed class SqliteContextConnectionTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("guichet-context-connection-").FullName;

    [Fact]
    public async Task EF_Cores_decimal_functions_are_left_out_and_plain_SQL_still_runs()
    {
        var connectionString = $"Data Source={Path.Combine(directory, "functions.db")}";
        await using var usual = new DbContext(new DbContextOptionsBuilder().UseSqlite(connectionString).Options);
        await using var lean = new DbContext(SqliteContextConnection.Use(new DbContextOptionsBuilder().UseSqlite(connectionString)).Options);

        // EF Core's own connection has the function; this one does not, on the same file.
        Assert.Equal("3.0", Convert.ToString(await ScalarAsync(usual, "SELECT ef_add(1, 2)"), System.Globalization.CultureInfo.InvariantCulture));
        var missing = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(lean, "SELECT ef_add(1, 2)"));
        Assert.Contains("no such function: ef_add", missing.Message, StringComparison.Ordinal);
        Assert.Equal(3L, await ScalarAsync(lean, "SELECT 1 + 2"));
    }

    [Fact]
    public async Task A_context_that_does_not_use_it_or_stores_a_decimal_is_reported()
    {
        var connectionString = $"Data Source={Path.Combine(directory, "problems.db")}";
        await using var plain = new AmountsContext(new DbContextOptionsBuilder<AmountsContext>().UseSqlite(connectionString).Options);
        await using var lean = new AmountsContext(SqliteContextConnection.Use(new DbContextOptionsBuilder<AmountsContext>().UseSqlite(connectionString)).Options);

        Assert.Equal(
            ["AmountsContext does not use SqliteContextConnection.", "Amount.Value is a decimal: EF Core computes and orders decimals on SQLite with the functions this connection leaves out."],
            SqliteContextConnection.FindProblems(plain));
        Assert.Equal(
            ["Amount.Value is a decimal: EF Core computes and orders decimals on SQLite with the functions this connection leaves out."],
            SqliteContextConnection.FindProblems(lean));
    }

    [Fact]
    public async Task A_pooled_contexts_connection_stays_open_between_queries_and_closes_when_the_context_goes()
    {
        var options = SqliteContextConnection.Use(new DbContextOptionsBuilder<PeopleContext>().UseSqlite($"Data Source={Path.Combine(directory, "open.db")}")).Options;
        var factory = new PooledDbContextFactory<PeopleContext>(options);
        DbConnection pooled;
        await using (var first = await factory.CreateDbContextAsync())
        {
            await first.Database.ExecuteSqlRawAsync("CREATE TABLE people (id INTEGER PRIMARY KEY)");
            pooled = first.Database.GetDbConnection();
            Assert.Equal(ConnectionState.Open, pooled.State);
        }

        // Back from the pool: the same connection, still open, its statements still prepared.
        await using (var again = await factory.CreateDbContextAsync())
        {
            Assert.Same(pooled, again.Database.GetDbConnection());
            Assert.Equal(ConnectionState.Open, pooled.State);
            Assert.Equal(0L, await ScalarAsync(again, "SELECT count(*) FROM people"));
        }

        DbConnection owned;
        await using (var context = new PeopleContext(options))
        {
            Assert.Equal(0L, await ScalarAsync(context, "SELECT count(*) FROM people"));
            owned = context.Database.GetDbConnection();
            Assert.Equal(ConnectionState.Open, owned.State);
        }

        Assert.Equal(ConnectionState.Closed, owned.State);
    }

    [Fact]
    public async Task A_context_back_in_the_pool_with_a_transaction_left_open_closes_its_connection_which_rolls_it_back()
    {
        var path = Path.Combine(directory, "left.db");
        var factory = new PooledDbContextFactory<PeopleContext>(
            SqliteContextConnection.Use(new DbContextOptionsBuilder<PeopleContext>().UseSqlite($"Data Source={path}")).Options);
        DbConnection connection;
        await using (var context = await factory.CreateDbContextAsync())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE TABLE people (id INTEGER PRIMARY KEY)");

            // Raw SQL that opens a transaction and never ends it: EF Core knows nothing of it.
            await context.Database.ExecuteSqlRawAsync("BEGIN IMMEDIATE; INSERT INTO people VALUES (1);");
            connection = context.Database.GetDbConnection();
        }

        Assert.Equal(ConnectionState.Closed, connection.State);
        // Kept open, it would still hold the write lock: this insert would wait a second and fail.
        await using var other = new SqliteConnection($"Data Source={path};Default Timeout=1");
        await other.OpenAsync();
        await using var insert = other.CreateCommand();
        insert.CommandText = "INSERT INTO people VALUES (2); SELECT count(*) FROM people;";
        Assert.Equal(1L, await insert.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_context_back_in_the_pool_with_a_reader_left_open_closes_its_connection()
    {
        var factory = new PooledDbContextFactory<PeopleContext>(
            SqliteContextConnection.Use(new DbContextOptionsBuilder<PeopleContext>().UseSqlite($"Data Source={Path.Combine(directory, "reader.db")}")).Options);
        DbConnection connection;
        DbDataReader reader;
        await using (var context = await factory.CreateDbContextAsync())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE TABLE people (id INTEGER PRIMARY KEY); INSERT INTO people VALUES (1), (2);");
            connection = context.Database.GetDbConnection();
            var command = connection.CreateCommand();
            command.CommandText = "SELECT id FROM people";
            reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
        }

        // Open, the reader's read transaction would pin the WAL for as long as the context is pooled.
        Assert.Equal(ConnectionState.Closed, connection.State);
        Assert.True(reader.IsClosed);
    }

    [Fact]
    public async Task The_key_store_does_without_them()
    {
        await using var keyStore = KeyStoreDatabase.Sqlite($"Data Source={Path.Combine(directory, "keys.db")}").Open();

        Assert.Empty(SqliteContextConnection.FindProblems(keyStore));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<object?> ScalarAsync(DbContext context, string sql)
    {
        await context.Database.OpenConnectionAsync();
        try
        {
            await using var command = context.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private sealed class Amount
    {
        public int Id { get; set; }

        public decimal Value { get; set; }
    }

    private sealed class PeopleContext(DbContextOptions<PeopleContext> options) : DbContext(options);

    private sealed class AmountsContext(DbContextOptions<AmountsContext> options) : DbContext(options)
    {
        public DbSet<Amount> Amounts => Set<Amount>();
    }
}
