using Guichet.Privacy.Storage;
namespace Guichet.Queueing.Storage;

/// <summary>
/// Serializes this process's queue writes on SQLite, which has a single writer anyway:
/// waiting here is cheaper and fairer than spinning on SQLITE_BUSY. Each write also runs in a
/// <c>BEGIN IMMEDIATE</c> transaction, which keeps other processes out. PostgreSQL needs no
/// gate: row locks (<c>FOR UPDATE SKIP LOCKED</c>) make its writes safe across instances.
/// </summary>
internal sealed class QueueWriteGate(DatabaseSettings settings) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async ValueTask<Releaser> EnterAsync(CancellationToken cancellationToken)
    {
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            return default;
        }

        await gate.WaitAsync(cancellationToken);
        return new Releaser(gate);
    }

    public void Dispose() => gate.Dispose();

    internal readonly struct Releaser(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
