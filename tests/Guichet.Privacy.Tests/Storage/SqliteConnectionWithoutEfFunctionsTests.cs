using Guichet.Privacy.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Privacy.Tests.Storage;

public sealed class SqliteConnectionWithoutEfFunctionsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("guichet-ef-functions-").FullName;

    [Fact]
    public async Task EF_Cores_decimal_functions_are_left_out_and_plain_SQL_still_runs()
    {
        var connectionString = $"Data Source={Path.Combine(directory, "functions.db")}";
        await using var usual = new DbContext(new DbContextOptionsBuilder().UseSqlite(connectionString).Options);
        await using var lean = new DbContext(SqliteConnectionWithoutEfFunctions.Use(new DbContextOptionsBuilder().UseSqlite(connectionString)).Options);

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
        await using var lean = new AmountsContext(SqliteConnectionWithoutEfFunctions.Use(new DbContextOptionsBuilder<AmountsContext>().UseSqlite(connectionString)).Options);

        Assert.Equal(
            ["AmountsContext does not use SqliteConnectionWithoutEfFunctions.", "Amount.Value is a decimal: EF Core computes and orders decimals on SQLite with the functions this connection leaves out."],
            SqliteConnectionWithoutEfFunctions.FindProblems(plain));
        Assert.Equal(
            ["Amount.Value is a decimal: EF Core computes and orders decimals on SQLite with the functions this connection leaves out."],
            SqliteConnectionWithoutEfFunctions.FindProblems(lean));
    }

    [Fact]
    public async Task The_key_store_does_without_them()
    {
        await using var keyStore = KeyStoreDatabase.Sqlite($"Data Source={Path.Combine(directory, "keys.db")}").Open();

        Assert.Empty(SqliteConnectionWithoutEfFunctions.FindProblems(keyStore));
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

    private sealed class AmountsContext(DbContextOptions<AmountsContext> options) : DbContext(options)
    {
        public DbSet<Amount> Amounts => Set<Amount>();
    }
}
