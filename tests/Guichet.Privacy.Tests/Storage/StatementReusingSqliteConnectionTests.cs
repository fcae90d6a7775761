using System.Data.Common;
using Guichet.Privacy.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Guichet.Privacy.Tests.Storage;

public sealed class StatementReusingSqliteConnectionTests : IDisposable
{
    private const string NameById = "SELECT name FROM people WHERE id = $id";

    private readonly string directory = Directory.CreateTempSubdirectory("guichet-statements-").FullName;

    [Fact]
    public async Task A_statement_is_prepared_once_and_runs_with_each_commands_own_values()
    {
        await using var connection = await OpenWithPeopleAsync();
        var (made, kept) = (connection.CommandsMade, connection.KeptCount);

        Assert.Equal("Test Person One", await ScalarAsync(connection, NameById, ("$id", 1)));
        Assert.Equal("Test Person Two", await ScalarAsync(connection, NameById, ("$id", 2)));
        Assert.Null(await ScalarAsync(connection, NameById, ("$id", 3)));

        Assert.Equal(made + 1, connection.CommandsMade);
        Assert.Equal(kept + 1, connection.KeptCount);
    }

    [Fact]
    public async Task A_kept_statement_reads_what_another_connection_committed_since()
    {
        await using var kept = await OpenWithPeopleAsync();
        Assert.Equal(2L, await ScalarAsync(kept, "SELECT count(*) FROM people"));

        await using (var other = new SqliteConnection(kept.ConnectionString))
        {
            await other.OpenAsync();
            await ExecuteAsync(other, "INSERT INTO people VALUES (3, 'Test Person Three')");
        }

        Assert.Equal(3L, await ScalarAsync(kept, "SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task Closing_the_connection_finalizes_what_it_kept_and_it_works_again_when_reopened()
    {
        await using var connection = await OpenWithPeopleAsync();
        await ScalarAsync(connection, NameById, ("$id", 1));
        Assert.NotEqual(0, connection.KeptCount);

        await connection.CloseAsync();
        Assert.Equal(0, connection.KeptCount);

        await connection.OpenAsync();
        Assert.Equal("Test Person Two", await ScalarAsync(connection, NameById, ("$id", 2)));
    }

    [Fact]
    public async Task A_command_given_back_with_its_reader_still_open_is_not_kept()
    {
        await using var connection = await OpenWithPeopleAsync();
        var kept = connection.KeptCount;
        var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM people ORDER BY id";
        var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        await command.DisposeAsync();

        Assert.Equal(kept, connection.KeptCount);
        Assert.True(reader.IsClosed);
        Assert.Equal("Test Person One", await ScalarAsync(connection, "SELECT name FROM people ORDER BY id"));
    }

    [Fact]
    public async Task The_same_SQL_twice_at_once_runs_on_two_statements()
    {
        await using var connection = await OpenWithPeopleAsync();
        var kept = connection.KeptCount;
        await using var outer = connection.CreateCommand();
        outer.CommandText = "SELECT id FROM people ORDER BY id";
        await using (var reader = await outer.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(1L, await ScalarAsync(connection, "SELECT id FROM people ORDER BY id"));
            Assert.True(await reader.ReadAsync());
            Assert.Equal(2L, reader.GetInt64(0));
        }

        await outer.DisposeAsync();
        Assert.Equal(kept + 1, connection.KeptCount);
    }

    [Fact]
    public async Task A_kept_statement_runs_in_a_transaction_and_after_it()
    {
        await using var connection = await OpenWithPeopleAsync();
        const string Insert = "INSERT INTO people VALUES ($id, 'Test Person')";
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // Joins the open transaction without being told, as Microsoft.Data.Sqlite's commands do.
            await ExecuteAsync(connection, Insert, ("$id", 10));
            await transaction.RollbackAsync();
        }

        await ExecuteAsync(connection, Insert, ("$id", 11));

        Assert.Equal(3L, await ScalarAsync(connection, "SELECT count(*) FROM people"));
        Assert.Null(await ScalarAsync(connection, "SELECT id FROM people WHERE id = 10"));
    }

    [Fact]
    public async Task Plans_do_not_depend_on_the_values_bound()
    {
        await using var connection = await OpenWithPeopleAsync();

        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_db_config(connection.Handle, raw.SQLITE_DBCONFIG_ENABLE_QPSG, -1, out var guaranteed));
        Assert.Equal(1, guaranteed);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<StatementReusingSqliteConnection> OpenWithPeopleAsync()
    {
        var connection = new StatementReusingSqliteConnection($"Data Source={Path.Combine(directory, $"{Guid.NewGuid():N}.db")}");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        await ExecuteAsync(connection, "INSERT INTO people VALUES (1, 'Test Person One'), (2, 'Test Person Two')");
        return connection;
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
