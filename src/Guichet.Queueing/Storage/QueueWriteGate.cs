using Guichet.Privacy.Storage;
namespace Guichet.Queueing.Storage;

/// <summary>
/// Serializes this process's queue writes on SQLite, which has a single writer anyway, with
/// the installation's other writers that take the file's <see cref="SqliteWriteTurn"/> (the
/// audit ledger, whose every staff action follows a queue write): waiting here is cheaper and
/// fairer than sleeping in SQLite's busy handler. Each write also runs in a
/// <c>BEGIN IMMEDIATE</c> transaction, which keeps other processes out. PostgreSQL needs no
/// gate: row locks (<c>FOR UPDATE SKIP LOCKED</c>) make its writes safe across instances.
/// </summary>
internal sealed class QueueWriteGate(DatabaseSettings settings)
{
    private readonly Lazy<SqliteWriteTurn?> turn = new(() =>
        settings.Provider == DatabaseProvider.Sqlite ? SqliteWriteTurn.For(settings.ConnectionString) : null);

    public ValueTask<SqliteWriteTurn.Releaser> EnterAsync(CancellationToken cancellationToken) =>
        turn.Value is { } sqlite ? sqlite.EnterAsync(cancellationToken) : default;
}
