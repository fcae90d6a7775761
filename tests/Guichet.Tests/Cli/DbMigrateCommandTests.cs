using Guichet.Cli;
using Guichet.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Guichet.Tests.Cli;

public sealed class DbMigrateCommandTests
{
    [Fact]
    public async Task Db_migrate_creates_the_queue_tables_and_is_harmless_to_repeat()
    {
        var dataDirectory = TestDirectories.Create();

        var first = await GuichetCommandLine.Create().Parse(["db", "migrate", "--data-dir", dataDirectory]).InvokeAsync();
        var second = await GuichetCommandLine.Create().Parse(["db", "migrate", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "guichet.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM __queueing_migrations; SELECT COUNT(*) FROM queue_tickets;";
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Db_migrate_fails_with_a_nonzero_exit_code_when_the_database_is_unreachable()
    {
        var dataDirectory = TestDirectories.Create();
        await File.WriteAllTextAsync(
            Path.Combine(dataDirectory, "guichet.json"),
            """{ "Database": { "Provider": "Postgres" }, "ConnectionStrings": { "Guichet": "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2" } }""");

        var exit = await GuichetCommandLine.Create().Parse(["db", "migrate", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(1, exit);
    }
}
