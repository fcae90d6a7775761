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

    [Fact]
    public async Task With_a_wrong_key_passphrase_verify_and_plant_exit_2_with_one_line_and_plant_nothing()
    {
        var dataDirectory = TestDirectories.Create();
        var passphraseFile = Path.Combine(dataDirectory, "passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, "Test passphrase right one");
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "guichet.json"), $$"""{ "Privacy": { "PassphraseFile": "{{passphraseFile}}" } }""");
        Assert.Equal(0, await GuichetCommandLine.Create().Parse(["honeytokens", "plant", "--count", "1", "--data-dir", dataDirectory]).InvokeAsync());
        await File.WriteAllTextAsync(passphraseFile, "Test passphrase wrong one");

        var verified = await GuichetCommandLine.Create().Parse(["audit", "verify", "--data-dir", dataDirectory]).InvokeAsync();
        var planted = await GuichetCommandLine.Create().Parse(["honeytokens", "plant", "--count", "1", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(2, verified);
        Assert.Equal(2, planted);
        using var host = DbCommand.BuildHost(new Guichet.Hosting.HostSettings(dataDirectory, []));
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Assert.Equal(2, await Guichet.Audit.AuditCommands.PlantHoneytokensAsync(host.Services, 1, output, CancellationToken.None, errors));
        Assert.Equal(string.Empty, output.ToString());
        var line = Assert.Single(errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("passphrase is wrong", line, StringComparison.Ordinal);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "guichet.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_honeytokens";
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_gives_a_verdict_and_plant_refuses_without_a_crash()
    {
        var dataDirectory = TestDirectories.Create();
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "guichet.db"), "this is not a database");

        var verified = await GuichetCommandLine.Create().Parse(["audit", "verify", "--data-dir", dataDirectory]).InvokeAsync();
        var planted = await GuichetCommandLine.Create().Parse(["honeytokens", "plant", "--count", "1", "--data-dir", dataDirectory]).InvokeAsync();

        Assert.Equal(2, verified);
        Assert.Equal(2, planted);
    }
}
