using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Guichet.Audit.Ledger;

namespace Guichet.Audit.Verification;

/// <summary>
/// Recomputes entry hashes on every core while the rows are still being read. Each entry is
/// checked on its own: SHA-256 over its stored previous hash and its encoding must give its
/// stored hash. The reader has already checked that the stored previous hash equals the hash
/// stored in the entry before, so the two checks together are the chain check from genesis,
/// without one entry's hash having to wait for the one before.
/// </summary>
internal sealed class ChainHashing
{
    private const int EntriesPerBatch = 4096;

    private readonly Channel<Batch> filled;
    private readonly Channel<Batch> empty;
    private readonly Task[] workers;
    private long firstMismatch = long.MaxValue;

    public ChainHashing(int workerCount, CancellationToken cancellationToken)
    {
        workerCount = Math.Max(1, workerCount);
        filled = Channel.CreateBounded<Batch>(new BoundedChannelOptions(workerCount * 2) { SingleWriter = true });
        empty = Channel.CreateUnbounded<Batch>();
        for (var i = 0; i < (workerCount * 2) + 2; i++)
        {
            empty.Writer.TryWrite(new Batch());
        }

        workers = new Task[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            workers[i] = Task.Run(() => HashAsync(cancellationToken), cancellationToken);
        }
    }

    /// <summary>The first sequence whose stored hash does not match its content, if any yet.</summary>
    public long FirstMismatch => Volatile.Read(ref firstMismatch);

    public ValueTask<Batch> TakeEmptyAsync(CancellationToken cancellationToken) => empty.Reader.ReadAsync(cancellationToken);

    public ValueTask SubmitAsync(Batch batch, CancellationToken cancellationToken) => filled.Writer.WriteAsync(batch, cancellationToken);

    /// <summary>Waits for every submitted batch to be hashed.</summary>
    public async Task CompleteAsync()
    {
        filled.Writer.TryComplete();
        await Task.WhenAll(workers);
    }

    private async Task HashAsync(CancellationToken cancellationToken)
    {
        try
        {
            await HashBatchesAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            // The reader may be waiting to hand over or take back a batch: wake it with the failure.
            empty.Writer.TryComplete(ex);
            filled.Writer.TryComplete(ex);
            throw;
        }
    }

    private async Task HashBatchesAsync(CancellationToken cancellationToken)
    {
        await foreach (var batch in filled.Reader.ReadAllAsync(cancellationToken))
        {
            var mismatch = batch.FindFirstMismatch();
            if (mismatch is { } sequence)
            {
                var seen = Volatile.Read(ref firstMismatch);
                while (sequence < seen)
                {
                    var previous = Interlocked.CompareExchange(ref firstMismatch, sequence, seen);
                    if (previous == seen)
                    {
                        break;
                    }

                    seen = previous;
                }
            }

            batch.Clear();
            empty.Writer.TryWrite(batch);
        }
    }

    /// <summary>Consecutive entries: for each, the bytes to hash and the hash stored with it.</summary>
    internal sealed class Batch
    {
        private readonly ArrayBufferWriter<byte> data = new(EntriesPerBatch * 256);
        private readonly int[] ends = new int[EntriesPerBatch];
        private readonly byte[] storedHashes = new byte[EntriesPerBatch * LedgerHash.Size];
        private readonly bool[] storedHashIsWhole = new bool[EntriesPerBatch];
        private long firstSequence;

        public int Count { get; private set; }

        public bool IsFull => Count == EntriesPerBatch;

        /// <summary>Adds the entry at <paramref name="sequence"/>; entries must come in sequence order without gaps.</summary>
        public void Add(long sequence, ReadOnlySpan<byte> previousHash, LedgerRows rows)
        {
            if (Count == 0)
            {
                firstSequence = sequence;
            }

            data.Write(previousHash);
            rows.Encode(data);
            ends[Count] = data.WrittenCount;
            var stored = rows.Hash;
            storedHashIsWhole[Count] = stored.Length == LedgerHash.Size;
            if (storedHashIsWhole[Count])
            {
                stored.CopyTo(storedHashes.AsSpan(Count * LedgerHash.Size));
            }

            Count++;
        }

        public long? FindFirstMismatch()
        {
            Span<byte> computed = stackalloc byte[LedgerHash.Size];
            var written = data.WrittenSpan;
            var start = 0;
            for (var i = 0; i < Count; i++)
            {
                SHA256.HashData(written[start..ends[i]], computed);
                if (!storedHashIsWhole[i] || !computed.SequenceEqual(storedHashes.AsSpan(i * LedgerHash.Size, LedgerHash.Size)))
                {
                    return firstSequence + i;
                }

                start = ends[i];
            }

            return null;
        }

        public void Clear()
        {
            data.ResetWrittenCount();
            Count = 0;
        }
    }
}
