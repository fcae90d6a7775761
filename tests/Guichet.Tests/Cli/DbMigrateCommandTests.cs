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
    public async Task Db_migrate_also_creates_the_identity_schema()
    {
        var dataDirectory = TestDirectories.Create();

        var exitCode = await GuichetCommandLine.Create().Parse(["db", "migrate", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(0, exitCode);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "guichet.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM __IdentityMigrationsHistory";
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
        // Passkeys need Identity's schema version 3.
        command.CommandText = "SELECT COUNT(*) FROM AspNetUsers; SELECT COUNT(*) FROM AspNetUserPasskeys; SELECT COUNT(*) FROM GuichetStaffSessions;";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_database_and_its_journal_files_are_private_to_the_service_account()
    {
        var dataDirectory = Path.Combine(TestDirectories.Create(), "data");

        var exitCode = await GuichetCommandLine.Create().Parse(["db", "migrate", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(0, exitCode);
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDirectory));
        var database = Path.Combine(dataDirectory, "guichet.db");
        Assert.Equal(ownerOnly, File.GetUnixFileMode(database));
        // Keep the journal files open while looking at them (SQLite removes them on the last close).
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE mode_probe (x); INSERT INTO mode_probe VALUES (1);";
            await command.ExecuteNonQueryAsync();
        }

        foreach (var journal in new[] { database + "-wal", database + "-shm" })
        {
            Assert.True(File.Exists(journal), journal);
            Assert.Equal(ownerOnly, File.GetUnixFileMode(journal));
        }

        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.True((File.GetUnixFileMode(file) & ~ownerOnly) == 0, $"{Path.GetRelativePath(dataDirectory, file)} is {File.GetUnixFileMode(file)}");
        }

        foreach (var directory in Directory.EnumerateDirectories(dataDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.True((File.GetUnixFileMode(directory) & ~(ownerOnly | UnixFileMode.UserExecute)) == 0, $"{Path.GetRelativePath(dataDirectory, directory)} is {File.GetUnixFileMode(directory)}");
        }
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
