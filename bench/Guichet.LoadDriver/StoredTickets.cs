using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Guichet.LoadDriver;

/// <summary>
/// The tickets a server's database holds, read straight from that database, so that checking
/// a hundred thousand acknowledged tickets is one query, not a tracker request each, and works
/// after the server was killed.
/// </summary>
internal static class StoredTickets
{
    public static async Task<HashSet<string>> TrackerTokensAsync(ServerProcess server, CancellationToken cancellationToken)
    {
        await using var connection = Open(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "TrackerToken" FROM queue_tickets""";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(reader.GetString(0));
        }

        return tokens;
    }

    private static DbConnection Open(ServerProcess server) =>
        server.Environment.TryGetValue(ServerProcess.ConnectionStringVariable, out var connectionString)
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(server.DataDirectory, "guichet.db"),
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
}
