using Guichet.Cli;
using Guichet.Tests.Infrastructure;

namespace Guichet.Tests.Cli;

/// <summary>The audit verbs as an operator runs them: through the one executable's command line.</summary>
public sealed class AuditCommandTests
{
    [Fact]
    public async Task Audit_verify_on_a_data_directory_without_a_database_exits_2_and_creates_nothing()
    {
        var dataDirectory = TestDirectories.Create();

        var exitCode = await GuichetCommandLine.Create().Parse(["audit", "verify", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(2, exitCode);
        Assert.False(File.Exists(Path.Combine(dataDirectory, "guichet.db")));
    }

    [Fact]
    public async Task Planting_honeytokens_then_verifying_the_ledger_succeeds()
    {
        var dataDirectory = TestDirectories.Create();

        var planted = await GuichetCommandLine.Create().Parse(["honeytokens", "plant", "--count", "3", "--data-dir", dataDirectory]).InvokeAsync();
        var verified = await GuichetCommandLine.Create().Parse(["audit", "verify", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(0, planted);
        Assert.Equal(0, verified);
    }

    [Fact]
    public async Task Verify_reports_a_modified_ledger_with_exit_code_1()
    {
        var dataDirectory = TestDirectories.Create();
        await GuichetCommandLine.Create().Parse(["honeytokens", "plant", "--count", "1", "--data-dir", dataDirectory]).InvokeAsync();
        await GuichetCommandLine.Create().Parse(["honeytokens", "plant", "--count", "1", "--data-dir", dataDirectory]).InvokeAsync();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "guichet.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_entries SET actor_id = 'someone-else' WHERE sequence = 1";
            await command.ExecuteNonQueryAsync();
        }

        var exitCode = await GuichetCommandLine.Create().Parse(["audit", "verify", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(1, exitCode);
    }
}
