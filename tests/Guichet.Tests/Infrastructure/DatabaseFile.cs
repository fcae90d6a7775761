using Microsoft.Data.Sqlite;

namespace Guichet.Tests.Infrastructure;

/// <summary>
/// Raw SQL on a test server's embedded database file, for what no API shows or does: a trigger
/// that makes the ledger refuse its inserts, the rows a refused change must not have left.
/// </summary>
internal static class DatabaseFile
{
    /// <summary>Runs <paramref name="sql"/> and returns the first column of each row, as text.</summary>
    public static async Task<List<string>> QueryAsync(GuichetServer server, string sql)
    {
        ArgumentNullException.ThrowIfNull(server);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "guichet.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
