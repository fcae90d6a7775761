using System.Collections.Concurrent;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Protection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Guichet.Privacy.Keys;

/// <summary>
/// New data subjects with their keys made in advance: subject ids and their keys are created
/// together, many in one key-ring transaction, before anyone asks for them, so a new
/// customer's first ticket waits for no key-ring write of its own. A subject id and its key
/// exist durably before the id is handed out: a value is never encrypted under a key the key
/// ring could lose, and erasing the subject destroys that key like any other.
/// </summary>
/// <remarks>
/// The pool refills in the background once half of it is handed out. Each batch holds about
/// <see cref="DemandHorizon"/> of the demand seen since the previous refill, from
/// <see cref="MinBatch"/> to <see cref="MaxBatch"/>: a quiet hall keeps only a few spare keys,
/// and a rush gets large batches, so their commits (each with an fsync of the key ring) stay
/// few. A key made longer ago than <see cref="KeyRing.RefreshInterval"/> is handed out without
/// its cached material, so a rotation meanwhile is seen exactly as for any cached key. The
/// keys still unused when the host stops are deleted; after a crash they stay in the key ring
/// protecting nothing, counted among <c>keys status</c>'s subject keys.
/// </remarks>
internal sealed class SubjectKeyPool(KeyRing keyRing, TimeProvider time, ILogger<SubjectKeyPool> logger) : IDataSubjects, IHostedService
{
    public const int MinBatch = 16;
    public const int MaxBatch = 256;

    /// <summary>How much of the recent demand a batch is made for.</summary>
    public static readonly TimeSpan DemandHorizon = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<Premade> _ready = new();
    private readonly Lock _sync = new();
    private Task? _refill;
    private int _batch = MinBatch;
    private long _handedOut;
    private long _lastRefillAt;

    /// <summary>Subjects made and not yet handed out.</summary>
    internal int Spare => _ready.Count;

    /// <summary>The size of the latest batch.</summary>
    internal int Batch => Volatile.Read(ref _batch);

    public async ValueTask<string> NewAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_ready.TryDequeue(out var premade))
            {
                Interlocked.Increment(ref _handedOut);
                if (_ready.Count < Volatile.Read(ref _batch) / 2)
                {
                    _ = Refill();
                }

                HandOut(premade);
                return premade.SubjectId;
            }

            await Refill().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deletes the keys made for subjects that never came: they protect nothing.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? refill;
        lock (_sync)
        {
            refill = _refill;
        }

        if (refill is not null)
        {
            // Its failure was reported to whoever waited for it; here only its keys matter.
            await refill.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }

        var unused = new List<Premade>();
        while (_ready.TryDequeue(out var premade))
        {
            unused.Add(premade);
        }

        if (unused.Count > 0)
        {
            await keyRing.DeleteUnusedSubjectKeysAsync([.. unused.Select(p => p.Key.KeyId)], cancellationToken).ConfigureAwait(false);
        }

        foreach (var premade in unused)
        {
            premade.Key.Dispose();
        }
    }

    private void HandOut(Premade premade)
    {
        if (time.GetElapsedTime(premade.MadeAt) < KeyRing.RefreshInterval)
        {
            keyRing.UseAsCurrent(KeyScope.Subject(premade.SubjectId), premade.Key, premade.MadeAt);
        }
        else
        {
            // The key ring would not trust it any more either: it looks the key up again on
            // first use (the key exists), as after any cached key's interval.
            premade.Key.Dispose();
        }
    }

    private Task Refill()
    {
        lock (_sync)
        {
            if (_refill is { IsCompleted: false } running)
            {
                return running;
            }

            var now = time.GetTimestamp();
            var batch = BatchFor(Interlocked.Exchange(ref _handedOut, 0), time.GetElapsedTime(_lastRefillAt, now));
            _lastRefillAt = now;
            Volatile.Write(ref _batch, batch);
            return _refill = Task.Run(() => MakeAsync(batch));
        }
    }

    /// <summary>
    /// The next batch: the subjects handed out since the previous refill began, scaled to
    /// <see cref="DemandHorizon"/>, between <see cref="MinBatch"/> and <see cref="MaxBatch"/>.
    /// </summary>
    internal static int BatchFor(long handedOut, TimeSpan since)
    {
        if (since <= TimeSpan.Zero)
        {
            return handedOut > 0 ? MaxBatch : MinBatch;
        }

        var demand = handedOut * (DemandHorizon / since);
        return (int)Math.Clamp(Math.Ceiling(demand), MinBatch, MaxBatch);
    }

    private async Task MakeAsync(int count)
    {
        var subjectIds = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7(time.GetUtcNow()).ToString("N")).ToList();
        var madeAt = time.GetTimestamp();
        IReadOnlyDictionary<string, DataKey> keys;
        try
        {
            keys = await keyRing.CreateSubjectKeysAsync(subjectIds, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A refill started in the background has no caller to tell.
            Log.SubjectKeysNotMade(logger, count, ex);
            throw;
        }

        foreach (var subjectId in subjectIds)
        {
            _ready.Enqueue(new Premade(subjectId, keys[subjectId], madeAt));
        }
    }

    private sealed record Premade(string SubjectId, DataKey Key, long MadeAt);
}
