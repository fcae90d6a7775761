using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Guichet.Privacy.Storage;

/// <summary>
/// Pragmas run on every SQLite connection a module opens, always starting with WAL and
/// synchronous=FULL, so a commit acknowledged to a caller has been fsynced
/// (https://www.sqlite.org/pragma.html#pragma_synchronous). Read-only connections (EF Core
/// probes an existing file with one before migrating) are left alone. The pragmas hold for the
/// life of the native connection, and Microsoft.Data.Sqlite pools those: they run once per
/// native connection, not on every open from the pool.
/// </summary>
/// <param name="extraPragmas">What the module adds, e.g. <c>PRAGMA foreign_keys=ON;</c>.</param>
public sealed class SqlitePragmas(string extraPragmas = "") : DbConnectionInterceptor
{
    /// <summary>
    /// The key store's: secure_delete so a destroyed key's bytes are overwritten in the file
    /// rather than left in a free page.
    /// </summary>
    internal static SqlitePragmas KeyStore { get; } = new("PRAGMA secure_delete=ON; PRAGMA busy_timeout=5000;");

    // Every module's tables share one file, so every connection waits for the write lock inside
    // SQLite (busy_timeout, which retries within a millisecond or two) rather than in
    // Microsoft.Data.Sqlite's loop, which sleeps 150 ms after each refusal. A module's own
    // busy_timeout, run after this one, wins (identity waits longer, the key ring's file less).
    //
    // A context keeps its connection open for its life (SqliteContextConnection), so a busy
    // server holds about a hundred, each with its own page cache. In WAL mode a connection's cache
    // is emptied at its next read after any commit, so a large one buys little: 256 KiB each
    // rather than SQLite's 2 MiB (counter actions ran as fast, 70 MB smaller).
    private readonly string pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA cache_size=-256; " + extraPragmas;

    // The native connections this interceptor has set up; an entry goes with its connection.
    private readonly ConditionalWeakTable<object, object> configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!NeedsPragmas(connection, out var handle))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        using (var results = command.ExecuteReader())
        {
            // Every statement's result is read: ExecuteNonQuery stops without an error at a
            // failing statement once an earlier one has returned a row (journal_mode does), so
            // a mistyped pragma would leave it and every pragma after it unset.
            while (results.NextResult())
            {
            }
        }

        configured.AddOrUpdate(handle, handle);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!NeedsPragmas(connection, out var handle))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = pragmas;
            var results = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (results.ConfigureAwait(false))
            {
                // As above: a failing statement is an error at open, not a silent stop.
                while (await results.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                }
            }
        }

        configured.AddOrUpdate(handle, handle);
    }

    /// <summary>Whether this open reached a native connection the pragmas have not been run on.</summary>
    private bool NeedsPragmas(DbConnection connection, out object handle)
    {
        handle = (connection as SqliteConnection)?.Handle ?? (object)connection;
        return !configured.TryGetValue(handle, out _) && !IsReadOnly(connection);
    }

    // EF Core probes an existing file with a read-only connection before migrating.
    private static bool IsReadOnly(DbConnection connection) =>
        new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly;
}
