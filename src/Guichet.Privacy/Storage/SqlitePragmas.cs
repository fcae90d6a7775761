using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Guichet.Privacy.Storage;

/// <summary>
/// Pragmas run on every SQLite connection a module opens, always starting with WAL and
/// synchronous=FULL, so a commit acknowledged to a caller has been fsynced
/// (https://www.sqlite.org/pragma.html#pragma_synchronous). Read-only connections (EF Core
/// probes an existing file with one before migrating) are left alone.
/// </summary>
/// <param name="extraPragmas">What the module adds, e.g. <c>PRAGMA foreign_keys=ON;</c>.</param>
public sealed class SqlitePragmas(string extraPragmas = "") : DbConnectionInterceptor
{
    /// <summary>
    /// The key store's: secure_delete so a destroyed key's bytes are overwritten in the file
    /// rather than left in a free page.
    /// </summary>
    internal static SqlitePragmas KeyStore { get; } = new("PRAGMA secure_delete=ON; PRAGMA busy_timeout=5000;");

    private readonly string pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " + extraPragmas;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsReadOnly(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsReadOnly(connection))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // EF Core probes an existing file with a read-only connection before migrating.
    private static bool IsReadOnly(DbConnection connection) =>
        new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly;
}
