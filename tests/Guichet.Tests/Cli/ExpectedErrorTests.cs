using System.CommandLine;
using Guichet.Cli;
using Guichet.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Guichet.Tests.Cli;

/// <summary>
/// Errors an operator can fix end every verb the same way: one line naming what is wrong, no stack
/// trace, exit code 2, and nothing changed.
/// </summary>
public sealed class ExpectedErrorTests
{
    private const string RightPassphrase = "Right test passphrase 0001";
    private const string WrongPassphrase = "Wrong test passphrase 0002";

    public static TheoryData<string[]> Verbs() => new()
    {
        new[] { "serve", "--urls", "https://127.0.0.1:0" },
        new[] { "db", "migrate" },
        new[] { "keys", "status" },
        new[] { "keys", "rotate" },
        new[] { "keys", "rewrap" },
        new[] { "admin", "create", "--user", "test-admin" },
        new[] { "admin", "invite", "--user", "test-agent", "--role", "ServiceAgent", "--branch", "branch-a" },
        new[] { "apikey", "list" },
        new[] { "apikey", "create", "--name", "crm", "--role", "CounterStaff", "--branch", "branch-a" },
        new[] { "device", "enrol-code", "--branch", "branch-a", "--kind", "Kiosk" },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task A_wrong_key_passphrase_gives_one_clear_line_exit_code_2_and_changes_nothing(string[] verb)
    {
        var dataDirectory = TestDirectories.Create();
        var passphraseFile = Path.Combine(dataDirectory, "passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, RightPassphrase);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "guichet.json"), $$"""{ "Privacy": { "PassphraseFile": "{{passphraseFile}}" } }""");
        Assert.Equal(0, await RunAsync(["db", "migrate", "--data-dir", dataDirectory], new StringWriter()));
        var before = await CountRowsAsync(dataDirectory);
        await File.WriteAllTextAsync(passphraseFile, WrongPassphrase);
        using var error = new StringWriter();

        var exitCode = await RunAsync([.. verb, "--data-dir", dataDirectory], error);

        Assert.Equal(2, exitCode);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("guichet: ", line, StringComparison.Ordinal);
        Assert.Contains("passphrase is wrong", line, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassphrase, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        Assert.Equal(before, await CountRowsAsync(dataDirectory));
    }

    [Fact]
    public async Task An_api_key_the_ledger_cannot_record_is_not_made_and_the_verb_says_so_in_one_line()
    {
        var dataDirectory = TestDirectories.Create();
        var passphraseFile = Path.Combine(dataDirectory, "passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, RightPassphrase);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "guichet.json"), $$"""{ "Privacy": { "PassphraseFile": "{{passphraseFile}}" } }""");
        Assert.Equal(0, await RunAsync(["db", "migrate", "--data-dir", dataDirectory], new StringWriter()));
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "guichet.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER test_refuse_entries BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'ledger unavailable'); END";
            await command.ExecuteNonQueryAsync();
        }

        using var error = new StringWriter();

        var exitCode = await RunAsync(["apikey", "create", "--name", "crm", "--role", "CounterStaff", "--branch", "branch-a", "--data-dir", dataDirectory], error);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("guichet: ", line, StringComparison.Ordinal);
        Assert.Contains("Nothing was done.", line, StringComparison.Ordinal);
        await using var check = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "guichet.db")};Mode=ReadOnly;Pooling=False");
        await check.OpenAsync();
        await using var keys = check.CreateCommand();
        keys.CommandText = "SELECT COUNT(*) FROM GuichetApiKeys";
        Assert.Equal(0L, (long)(await keys.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_sealed_key_file_without_any_passphrase_names_the_settings_to_give()
    {
        var dataDirectory = TestDirectories.Create();
        var passphraseFile = Path.Combine(dataDirectory, "passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, RightPassphrase);
        var settings = Path.Combine(dataDirectory, "guichet.json");
        await File.WriteAllTextAsync(settings, $$"""{ "Privacy": { "PassphraseFile": "{{passphraseFile}}" } }""");
        Assert.Equal(0, await RunAsync(["db", "migrate", "--data-dir", dataDirectory], new StringWriter()));
        File.Delete(settings);
        using var error = new StringWriter();

        var exitCode = await RunAsync(["serve", "--urls", "https://127.0.0.1:0", "--data-dir", dataDirectory], error);

        Assert.Equal(2, exitCode);
        Assert.Contains("GUICHET_KEY_PASSPHRASE", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_setting_is_named_with_exit_code_2()
    {
        var dataDirectory = TestDirectories.Create();
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "guichet.json"), """{ "Identity": { "IdleTimeout": "-00:01:00" } }""");
        using var error = new StringWriter();

        var exitCode = await RunAsync(["serve", "--urls", "https://127.0.0.1:0", "--data-dir", dataDirectory], error);

        Assert.Equal(2, exitCode);
        Assert.Contains("Identity:IdleTimeout", Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    /// <summary>Runs a verb in-process; a serve that starts after all is stopped rather than left running.</summary>
    private static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await GuichetCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Error = error }, guard.Token);
    }

    /// <summary>Rows in every table of the database: a refused verb leaves them as they were.</summary>
    private static async Task<long> CountRowsAsync(string dataDirectory)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "guichet.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long total = 0;
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            total += (long)(await count.ExecuteScalarAsync())!;
        }

        return total;
    }
}
