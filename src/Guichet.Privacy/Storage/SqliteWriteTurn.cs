using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Guichet.Privacy.Storage;

/// <summary>
/// This process's turn to write one SQLite database file, shared by every writer in the
/// process that takes it (the queue's and the ledger's, which write the installation's one
/// file). SQLite lets one transaction write at a time; the others wait in its busy handler,
/// which sleeps 1, 2, 5, 10… ms between tries, so a writer that arrives while another's
/// commit is being fsynced waits at least a millisecond even when that commit ends in a fifth
/// of one. Writers that take the turn here queue in order instead and start the moment the
/// previous one has committed. Writers that do not take it, and other processes (a CLI verb),
/// still wait in SQLite's busy handler, as before.
/// </summary>
#pragma warning disable CA1001 // One turn per file for the life of the process; a SemaphoreSlim whose wait handle is never asked for holds nothing to release.
public sealed class SqliteWriteTurn
#pragma warning restore CA1001
{
    private static readonly ConcurrentDictionary<string, SqliteWriteTurn> ByFile = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim turn = new(1, 1);

    private SqliteWriteTurn()
    {
    }

    /// <summary>
    /// The turn of the file a SQLite connection string opens; every caller naming the same file
    /// (or the same shared in-memory database) gets the same turn. Null for a private in-memory
    /// database, which no other connection writes.
    /// </summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string.</param>
    public static SqliteWriteTurn? For(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var file = builder.DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:")
        {
            return null;
        }

        var key = builder.Mode == SqliteOpenMode.Memory ? "memory:" + file : Path.GetFullPath(file);
        return ByFile.GetOrAdd(key, static _ => new SqliteWriteTurn());
    }

    /// <summary>Waits for the turn; dispose the result once the transaction has committed or rolled back.</summary>
    public async ValueTask<Releaser> EnterAsync(CancellationToken cancellationToken)
    {
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(turn);
    }

    /// <summary>Gives the turn back; the default value (no turn taken) does nothing.</summary>
    public readonly struct Releaser : IDisposable
    {
        private readonly SemaphoreSlim? turn;

        internal Releaser(SemaphoreSlim turn) => this.turn = turn;

        public void Dispose() => turn?.Release();
    }
}
