using System.Data.Common;
using System.Threading.Channels;
using Guichet.Audit.Storage;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guichet.Audit.Ledger;

/// <summary>
/// The ledger's one writer. Callers queue events; a single loop drains the queue, chains and
/// commits a batch in one transaction (group commit), signs a checkpoint when one is due, and
/// only then completes each caller's task. Any failure fails every caller of the batch with
/// <see cref="AuditUnavailableException"/>, so a guarded operation never proceeds unrecorded.
/// A module that commits its own batch of actions appends their entries in its transaction
/// instead (<see cref="IAuditTrailInTransaction"/>): the chain's tail is read there, under the
/// same write lock (SQLite) or advisory lock (PostgreSQL) as this writer's batches, so the two
/// never fork the chain. Checkpoints stay with this writer: an append that passes a multiple of
/// <c>Audit:CheckpointEvery</c> wakes it, and its next batch or tick signs what was appended.
/// </summary>
internal sealed partial class LedgerWriter : IAuditTrail, IAuditTrailInTransaction, IAsyncDisposable
{
    // The chain's last entry, read with ADO.NET on whichever transaction is appending.
    private const string TailSql = "SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1";

    // Advisory lock that serialises appends across instances sharing a PostgreSQL store.
    private const string PostgresAppendLock = "SELECT pg_advisory_xact_lock(5138306818406425684)";

    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly AuditStore store;
    private readonly CheckpointSigner signer;
    private readonly AuditOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<LedgerWriter> logger;
    private readonly IServiceProvider services;
    private readonly List<CheckpointRecord> unwrittenCheckpoints = [];
    private readonly Lock startGate = new();
    private ILedgerObserver[]? observers;
    private Task? loop;
    private ITimer? checkpointTimer;
    private DateTime startedAt;

    public LedgerWriter(AuditStore store, CheckpointSigner signer, IOptions<AuditOptions> options, TimeProvider time, ILogger<LedgerWriter> logger, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.signer = signer;
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        this.services = services;
    }

    public async ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        AuditEventValidation.Validate(auditEvent);
        EnsureStarted();
        var pending = new Pending(auditEvent);
        try
        {
            await queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            throw new AuditUnavailableException("The audit ledger is shut down.", ex);
        }

        var entry = await pending.Completion.Task.WaitAsync(cancellationToken);
        await NotifyAsync(entry, cancellationToken);
        return entry.Sequence;
    }

    public async Task<IReadOnlyList<AuditReceipt>> AppendAsync(DbTransaction transaction, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var auditEvent in events)
        {
            AuditEventValidation.Validate(auditEvent);
        }

        if (events.Count == 0)
        {
            return [];
        }

        EnsureStarted();
        try
        {
            await using var model = store.CreateContext();
            var (entries, sequence, _) = await AppendChainedAsync(model, transaction, events, LedgerHash.ToLedgerTime(time.GetUtcNow()), cancellationToken);
            if ((sequence - entries.Length) / options.CheckpointEvery != sequence / options.CheckpointEvery)
            {
                // Another Audit:CheckpointEvery entries: wake this writer to sign a checkpoint. Its
                // batch waits for the caller's lock, so it sees these entries once they commit.
                queue.Writer.TryWrite(Pending.Tick);
            }

            return [.. entries.Select((entry, i) => new LedgerReceipt(events[i], entry))];
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            Log.AppendFailed(logger, ex, events.Count);
            throw new AuditUnavailableException("The audit ledger could not write the entries in the transaction.", ex);
        }
    }

    public ValueTask CommittedAsync(AuditReceipt receipt, CancellationToken cancellationToken) =>
        receipt is LedgerReceipt written
            ? NotifyAsync(written.Entry, cancellationToken)
            : throw new ArgumentException("The receipt is not one this ledger gave.", nameof(receipt));

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (checkpointTimer is not null)
        {
            await checkpointTimer.DisposeAsync();
        }

        if (loop is not null)
        {
            await loop;
        }
    }

    private void EnsureStarted()
    {
        if (loop is not null)
        {
            return;
        }

        lock (startGate)
        {
            if (loop is not null)
            {
                return;
            }

            startedAt = LedgerHash.ToLedgerTime(time.GetUtcNow());
            checkpointTimer = time.CreateTimer(_ => queue.Writer.TryWrite(Pending.Tick), null, options.CheckpointInterval, options.CheckpointInterval);
            loop = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(options.MaxBatchSize);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var tick = false;
            while (batch.Count < options.MaxBatchSize && queue.Reader.TryRead(out var item))
            {
                if (item.Event is null)
                {
                    tick = true;
                }
                else
                {
                    batch.Add(item);
                }
            }

            if (batch.Count == 0 && !tick)
            {
                continue;
            }

            try
            {
                var entries = await CommitAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(entries[i]);
                }
            }
#pragma warning disable CA1031 // Fail closed: whatever went wrong, every caller of the batch is told the ledger is unavailable.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.AppendFailed(logger, ex, batch.Count);
                var failure = new AuditUnavailableException("The audit ledger could not commit the entry.", ex);
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(failure);
                }
            }

            WriteCheckpointFile();
        }
    }

    // Compiled: it runs in every batch, inside the ledger's serial stage that every audited
    // action waits on.
    private static readonly CompiledQuery<Func<AuditDbContext, CancellationToken, Task<CheckpointTail?>>> LastCheckpointQuery = new(() =>
        EF.CompileAsyncQuery((AuditDbContext db, CancellationToken _) => db.Checkpoints.AsNoTracking()
            .OrderByDescending(c => c.Sequence).Select(c => new CheckpointTail(c.Sequence, c.CreatedAt)).FirstOrDefault()));

    private async Task<LedgerEntry[]> CommitAsync(List<Pending> batch)
    {
        var canSign = await PrepareSignerAsync();
        await using var db = store.CreateContext();
        // On SQLite the queue's writers share the file: take turns with them here rather than
        // sleep in SQLite's busy handler while a counter action's batch commits.
        using var turn = store.WriteTurn is { } sqlite ? await sqlite.EnterAsync(CancellationToken.None) : default;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = LedgerHash.ToLedgerTime(time.GetUtcNow());
        var (entries, sequence, previous) = await AppendChainedAsync(
            db, transaction.GetDbTransaction(), [.. batch.Select(p => p.Event!)], now, CancellationToken.None);
        var checkpoint = canSign ? await CheckpointIfDueAsync(db, sequence, previous, now) : null;
        if (checkpoint is not null)
        {
            // The only tracked row: a checkpoint is due once in many batches.
            await db.SaveChangesAsync();
        }

        await transaction.CommitAsync();
        if (checkpoint is not null)
        {
            unwrittenCheckpoints.Add(checkpoint);
        }

        return entries;
    }

    /// <summary>
    /// Appends the events to the chain in <paramref name="transaction"/>, this writer's own or
    /// another module's: on PostgreSQL it first takes the appenders' advisory lock; the tail is
    /// read inside the transaction, so another appender (a CLI verb, another instance, a batch
    /// of counter actions) can never fork the chain; each entry's hash covers the one before; all
    /// go in one prepared statement, where SaveChanges would prepare one per entry.
    /// </summary>
    /// <param name="model">Gives the entries' table; its own connection is not used.</param>
    /// <param name="transaction">The open transaction the entries commit or roll back with.</param>
    /// <param name="events">The events, in order; none for a batch that only checks checkpoints.</param>
    /// <param name="now">The entries' time.</param>
    /// <param name="cancellationToken">Stops the append.</param>
    /// <returns>The entries, and the chain's last sequence and hash after them.</returns>
    private async Task<(LedgerEntry[] Entries, long Sequence, byte[] Hash)> AppendChainedAsync(
        AuditDbContext model, DbTransaction transaction, IReadOnlyList<AuditEvent> events, DateTime now, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has no connection.");
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (store.IsPostgres)
        {
            command.CommandText = PostgresAppendLock;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        command.CommandText = TailSql;
        var (sequence, previous) = (0L, LedgerHash.Genesis);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                (sequence, previous) = (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
            }
        }

        var entries = new LedgerEntry[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var entry = ToEntry(events[i], ++sequence, now, previous);
            entry.Hash = LedgerHash.Compute(previous, entry);
            previous = entry.Hash;
            entries[i] = entry;
        }

        await PreparedInsert.InsertAsync(model, transaction, entries, cancellationToken);
        return (entries, sequence, previous);
    }

    private async Task<CheckpointRecord?> CheckpointIfDueAsync(AuditDbContext db, long sequence, byte[] hash, DateTime now)
    {
        var last = await LastCheckpointQuery.For(db)(db, CancellationToken.None);
        var pending = sequence - (last?.Sequence ?? 0);
        var due = pending >= options.CheckpointEvery
            || (pending > 0 && now - (last?.CreatedAt ?? startedAt) >= options.CheckpointInterval);
        if (!due)
        {
            return null;
        }

        var checkpoint = signer.Sign(sequence, hash, now);
        db.Checkpoints.Add(checkpoint);
        return checkpoint;
    }

    private async Task<bool> PrepareSignerAsync()
    {
        try
        {
            await signer.PrepareAsync(CancellationToken.None);
            return true;
        }
#pragma warning disable CA1031 // A key that cannot be loaded must not stop accountability: entries still commit unsigned, the failure is logged and retried with the next batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CheckpointFailed(logger, ex);
            return false;
        }
    }

    private sealed record CheckpointTail(long Sequence, DateTime CreatedAt);

    private void WriteCheckpointFile()
    {
        if (unwrittenCheckpoints.Count == 0)
        {
            return;
        }

        try
        {
            CheckpointFile.Append(options.CheckpointFile!, unwrittenCheckpoints);
            unwrittenCheckpoints.Clear();
        }
        catch (IOException ex)
        {
            Log.CheckpointFileFailed(logger, ex, unwrittenCheckpoints[^1].Sequence);
        }
        catch (UnauthorizedAccessException ex)
        {
            Log.CheckpointFileFailed(logger, ex, unwrittenCheckpoints[^1].Sequence);
        }
    }

    private async ValueTask NotifyAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        observers ??= [.. services.GetServices<ILedgerObserver>()];
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnCommittedAsync(entry, cancellationToken);
            }
#pragma warning disable CA1031 // The entry is committed; a failing rule must not turn a recorded operation into a failed one.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ObserverFailed(logger, ex, entry.Sequence);
            }
        }
    }

    private static LedgerEntry ToEntry(AuditEvent auditEvent, long sequence, DateTime now, byte[] previous) => new()
    {
        Sequence = sequence,
        OccurredAt = now,
        ActorKind = AuditNames.Of(auditEvent.Actor.Kind),
        ActorId = auditEvent.Actor.Id,
        Action = auditEvent.Action,
        ResourceType = auditEvent.ResourceType,
        ResourceId = auditEvent.ResourceId,
        Purpose = auditEvent.Purpose,
        Outcome = AuditNames.Of(auditEvent.Outcome),
        ClientAddress = auditEvent.ClientAddress,
        CorrelationId = auditEvent.CorrelationId,
        BranchId = auditEvent.BranchId,
        PreviousHash = previous,
    };

    /// <summary>An entry written in another module's transaction, for <see cref="CommittedAsync"/>.</summary>
    private sealed class LedgerReceipt(AuditEvent auditEvent, LedgerEntry entry) : AuditReceipt(auditEvent)
    {
        public LedgerEntry Entry { get; } = entry;
    }

    private sealed class Pending(AuditEvent? auditEvent)
    {
        public static Pending Tick { get; } = new(null);

        public AuditEvent? Event { get; } = auditEvent;

        public TaskCompletionSource<LedgerEntry> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "The audit ledger could not commit a batch of {Count} entries; the guarded operations fail.")]
        public static partial void AppendFailed(ILogger logger, Exception exception, int count);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "The audit checkpoint signing key could not be loaded; entries commit without checkpoints until it can.")]
        public static partial void CheckpointFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "The external checkpoint file could not be written up to sequence {Sequence}; it is retried with the next batch.")]
        public static partial void CheckpointFileFailed(ILogger logger, Exception exception, long sequence);

        [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "An anomaly rule failed on ledger entry {Sequence}.")]
        public static partial void ObserverFailed(ILogger logger, Exception exception, long sequence);
    }
}
