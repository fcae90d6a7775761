using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Guichet.Privacy.Keys;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Guichet.Audit.Verification;

/// <summary>
/// Recomputes the hash chain from the first entry, checks every checkpoint signature (in the
/// database and in the external file), and that the chain passes through every signed
/// checkpoint. Reads only; never throws on a damaged ledger — every problem is a verdict.
/// </summary>
internal sealed class LedgerVerifier(AuditStore store, IServiceProvider services, IOptions<AuditOptions> options)
{
    private const int ReportEvery = 4096;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Ranges of the chain checked at the same time: one per core.</summary>
    internal int RangeCount { get; set; } = Environment.ProcessorCount;

    /// <summary>A ledger shorter than two of these is checked as one range.</summary>
    internal long MinimumEntriesPerRange { get; set; } = 65_536;

    public async Task<LedgerVerdict> VerifyAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var run = new Run();
        if (!store.IsPostgres)
        {
            var path = new SqliteConnectionStringBuilder(store.ConnectionString).DataSource;
            if (!File.Exists(path))
            {
                return run.CannotVerifyNow($"There is no database at {path}.");
            }
        }

        try
        {
            await using var connection = OpenConnection();
            await connection.OpenAsync(cancellationToken);
            if (!await LoadKeysAsync(connection, run, cancellationToken))
            {
                return run.Verdict();
            }

            await LoadDatabaseCheckpointsAsync(connection, run, cancellationToken);
            LoadFileCheckpoints(run);
            await CheckChainAsync(connection, run, progress, cancellationToken);
        }
        catch (DbException ex)
        {
            run.CannotVerify($"The ledger database cannot be read ({ex.Message}).");
        }

        return run.Verdict();
    }

    private DbConnection OpenConnection()
    {
        if (store.IsPostgres)
        {
            return new NpgsqlConnection(store.ConnectionString);
        }

        // ReadWrite without Create: a missing file is an error, never a new empty ledger.
        var builder = new SqliteConnectionStringBuilder(store.ConnectionString) { Mode = SqliteOpenMode.ReadWrite };
        return new SqliteConnection(builder.ConnectionString);
    }

    private async Task<bool> LoadKeysAsync(DbConnection connection, Run run, CancellationToken cancellationToken)
    {
        var records = new List<SigningKeyRecord>();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT key_id, public_key, sealed_private_key FROM audit_signing_keys";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(new SigningKeyRecord
                {
                    KeyId = reader.GetString(0),
                    PublicKey = reader.GetFieldValue<byte[]>(1),
                    SealedPrivateKey = reader.GetFieldValue<byte[]>(2),
                });
            }
        }
        catch (DbException ex)
        {
            run.CannotVerify($"This database holds no audit ledger, or its tables are damaged ({ex.Message}).");
            return false;
        }
        catch (InvalidCastException)
        {
            run.CannotVerify("The checkpoint signing key records are damaged.");
            return true;
        }

        var sealer = services.GetService<ISecretSealer>();
        if (sealer is null && records.Count > 0)
        {
            run.CannotVerify("No key provider is configured, so the checkpoint signing key cannot be tied to this installation.");
        }

        foreach (var record in records)
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportSubjectPublicKeyInfo(record.PublicKey, out _);
            }
            catch (CryptographicException)
            {
                key.Dispose();
                run.CannotVerify($"The public half of checkpoint signing key {record.KeyId} is damaged.");
                continue;
            }

            if (CheckpointSignature.KeyId(record.PublicKey) != record.KeyId)
            {
                key.Dispose();
                run.CannotVerify($"Checkpoint signing key {record.KeyId} does not match its own public key.");
                continue;
            }

            run.Keys[record.KeyId] = key;
            if (sealer is null)
            {
                continue;
            }

            try
            {
                CheckpointSigner.Load(record, sealer).Dispose();
            }
            catch (CryptographicException)
            {
                run.CannotVerify($"Checkpoint signing key {record.KeyId} cannot be unsealed by this installation's key provider: the wrong root key is configured, or the key record was replaced.");
            }
        }

        return true;
    }

    private static async Task LoadDatabaseCheckpointsAsync(DbConnection connection, Run run, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, hash, created_at, key_id, signature FROM audit_checkpoints ORDER BY sequence";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            CheckpointRecord checkpoint;
            try
            {
                checkpoint = new CheckpointRecord
                {
                    Sequence = reader.GetInt64(0),
                    Hash = reader.GetFieldValue<byte[]>(1),
                    CreatedAt = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                    KeyId = reader.GetString(3),
                    Signature = reader.GetFieldValue<byte[]>(4),
                };
            }
            catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
            {
                run.Broken(long.MaxValue, "A checkpoint record in the database is damaged.");
                continue;
            }

            if (run.CheckSignature(checkpoint, "in the database"))
            {
                run.DatabaseCheckpoints[checkpoint.Sequence] = checkpoint;
                run.Expect(checkpoint);
            }
        }
    }

    private void LoadFileCheckpoints(Run run)
    {
        var path = options.Value.CheckpointFile!;
        if (!File.Exists(path))
        {
            if (run.DatabaseCheckpoints.Count > 0)
            {
                run.CannotVerify($"The external checkpoint file {path} is missing, so a rewrite of the whole database cannot be ruled out. Restore it from its storage, or point Audit:CheckpointFile at it.");
            }
            else
            {
                run.Notes.Add($"No external checkpoint file yet at {path} (no checkpoint has been signed).");
            }

            return;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            run.CannotVerify($"The external checkpoint file {path} cannot be read ({ex.Message}).");
            return;
        }

        long lastInFile = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            if (!CheckpointFile.TryParse(lines[i], out var checkpoint))
            {
                run.CannotVerify(string.Create(CultureInfo.InvariantCulture, $"Line {i + 1} of the external checkpoint file {path} is damaged."));
                continue;
            }

            if (!run.CheckSignature(checkpoint, "in the external file"))
            {
                continue;
            }

            lastInFile = Math.Max(lastInFile, checkpoint.Sequence);
            run.FileCheckpoints++;
            if (run.DatabaseCheckpoints.TryGetValue(checkpoint.Sequence, out var stored)
                && (!stored.Hash.AsSpan().SequenceEqual(checkpoint.Hash) || stored.CreatedAt != checkpoint.CreatedAt))
            {
                run.Broken(checkpoint.Sequence, $"The database's checkpoint at {checkpoint.Sequence} differs from the external file's: the database was rewritten.");
            }

            run.Expect(checkpoint);
        }

        var notInFile = run.DatabaseCheckpoints.Keys.Count(sequence => sequence > lastInFile);
        if (notInFile > 0)
        {
            run.Notes.Add($"{notInFile} checkpoint(s) in the database after sequence {lastInFile} are not in the external file yet.");
        }
    }

    /// <summary>
    /// Checks the chain from genesis. On SQLite a long ledger is cut into consecutive ranges of
    /// sequence numbers checked at the same time, one per core: a range starts from the hash
    /// stored in the entry before it, which the range before checks. The verdict is the one a
    /// walk of one entry after the other gives: the first entry found wrong, in sequence order.
    /// </summary>
    private async Task CheckChainAsync(DbConnection connection, Run run, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var sqlite = connection as SqliteConnection;
        var inPlace = sqlite is not null && !store.IsPostgres && SqliteLedgerRows.IsAvailable;
        var ranges = inPlace ? await PlanRangesAsync(sqlite!, cancellationToken) : [new SequenceRange(null, null)];
        var shared = new RangeProgress();
        var checks = new Task<RangeResult>[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            var range = ranges[i];
            var lastCheckpointBefore = run.Expected.Keys.Where(sequence => sequence < range.First).DefaultIfEmpty(0).Max();
            checks[i] = ranges.Count == 1
                ? CheckRangeAsync(connection, inPlace, range, run.Expected, lastCheckpointBefore, shared, cancellationToken)
                : Task.Run(() => CheckRangeAsync(connection, inPlace, range, run.Expected, lastCheckpointBefore, shared, cancellationToken), cancellationToken);
        }

        var all = Task.WhenAll(checks);
        while (progress is not null && await Task.WhenAny(all, Task.Delay(ProgressInterval, CancellationToken.None)) != all)
        {
            progress.Report(shared.Checked);
        }

        var results = await all;
        ChainFailure? failure = null;
        long last = 0;
        for (var i = 0; i < results.Length && failure is null; i++)
        {
            var result = results[i];
            failure = result.Failure;
            if (failure is not null)
            {
                break;
            }

            last = result.LastChecked;
            if (ranges[i].Last is { } end && last < end)
            {
                // This range ran out of entries early: what follows is the next range's first row.
                failure = results.Skip(i + 1).Select(later => later.FirstRow).FirstOrDefault(first => first is not null) switch
                {
                    null => null,
                    { ReadError: { } error } => new ChainFailure(last + 1, last + 1, $"The ledger database is damaged after entry {last} ({error})."),
                    { Sequence: null } => new ChainFailure(last + 1, last + 1, $"Entry {last + 1} is damaged: a field cannot be read."),
                    { Sequence: { } next } => new ChainFailure(last + 1, last + 1, $"Entry {last + 1} is missing: the ledger jumps from {last} to {next} (deleted)."),
                };
                break;
            }
        }

        if (failure is not null)
        {
            run.EntriesChecked = failure.Sequence - 1;
            run.Broken(failure.Reported, failure.Reason);
            return;
        }

        run.EntriesChecked = last;
        var highest = run.Expected.Count == 0 ? 0 : run.Expected.Keys.Max();
        if (highest > last)
        {
            run.Broken(last + 1, $"The ledger ends at {last} but a checkpoint was signed at {highest}: entries were removed from the tail.");
        }

        if (last > highest)
        {
            run.Notes.Add($"{last - highest} entries after the last signed checkpoint ({highest}) are protected by the hash chain only until the next checkpoint.");
        }

        progress?.Report(last);
    }

    /// <summary>One range for a short ledger; otherwise one per core, the first and last open-ended.</summary>
    private async Task<List<SequenceRange>> PlanRangesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        long highest;
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT max(sequence) FROM audit_entries";
            highest = await command.ExecuteScalarAsync(cancellationToken) is long value ? value : 0;
        }
        catch (DbException)
        {
            // The walk from the first entry tells where the damage is.
            return [new SequenceRange(null, null)];
        }

        var count = (int)Math.Min(Math.Max(1, RangeCount), highest / Math.Max(1, MinimumEntriesPerRange));
        if (count <= 1)
        {
            return [new SequenceRange(null, null)];
        }

        var size = highest / count;
        var ranges = new List<SequenceRange>(count) { new(null, size) };
        for (var i = 1; i < count - 1; i++)
        {
            ranges.Add(new SequenceRange((i * size) + 1, (i + 1) * size));
        }

        ranges.Add(new SequenceRange(((count - 1) * size) + 1, null));
        return ranges;
    }

    /// <summary>
    /// Walks one range entry by entry, in the order of checks the verdict promises: readable,
    /// in sequence, linked to the entry before, hash, signed checkpoint.
    /// </summary>
    private static async Task<RangeResult> CheckRangeAsync(
        DbConnection connection, bool inPlace, SequenceRange range, Dictionary<long, byte[]> checkpoints, long lastCheckpointBefore, RangeProgress shared, CancellationToken cancellationToken)
    {
        // A range of its own opens its own connection: SQLite reads in parallel on separate connections.
        var own = range.From is not null || range.Last is not null ? new SqliteConnection(connection.ConnectionString) : null;
        try
        {
            if (own is not null)
            {
                await own.OpenAsync(cancellationToken);
            }

            var reading = own ?? connection;
            byte[]? previous = range.From is { } from ? await StoredHashAsync((SqliteConnection)reading, from - 1, cancellationToken) : LedgerHash.Genesis;
            LedgerRows rows;
            try
            {
                rows = inPlace
                    ? SqliteLedgerRows.Open((SqliteConnection)reading, range.From, range.Last)
                    : await ProviderLedgerRows.OpenAsync(reading, cancellationToken);
            }
            catch (DbException ex) when (own is not null)
            {
                // Damage where a later range starts is damage after the entry before it.
                shared.FailedAt(range.First);
                return new RangeResult(new ChainFailure(range.First, range.First, $"The ledger database is damaged after entry {range.First - 1} ({ex.Message})."), range.First - 1, new FirstRow(null, ex.Message));
            }

            await using var owned = rows;
            return await WalkAsync(rows, range, previous, checkpoints, lastCheckpointBefore, shared, cancellationToken);
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    private static async Task<byte[]?> StoredHashAsync(SqliteConnection connection, long sequence, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT hash FROM audit_entries WHERE sequence = $sequence";
        command.Parameters.AddWithValue("$sequence", sequence);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) as byte[];
        }
        catch (DbException)
        {
            // The range before reaches this entry and reports the damage.
            return null;
        }
    }

    private static async Task<RangeResult> WalkAsync(
        LedgerRows rows, SequenceRange range, byte[]? previous, Dictionary<long, byte[]> checkpoints, long lastTrustedCheckpoint, RangeProgress shared, CancellationToken cancellationToken)
    {
        var expected = range.First;
        var computed = new byte[LedgerHash.Size];
        var scratch = new ArrayBufferWriter<byte>(512);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        FirstRow? first = null;
        var sinceReport = 0;
        ChainFailure? Fail(long reported, string reason)
        {
            shared.FailedAt(expected);
            return new ChainFailure(expected, reported, reason);
        }

        RangeResult Result(ChainFailure? failure) => new(failure, expected - 1, first);
        while (true)
        {
            try
            {
                if (!await rows.ReadAsync(cancellationToken))
                {
                    return Result(null);
                }
            }
            catch (DbException ex)
            {
                first ??= new FirstRow(null, ex.Message);
                return Result(Fail(expected, $"The ledger database is damaged after entry {expected - 1} ({ex.Message})."));
            }

            if (!rows.IsReadable)
            {
                first ??= new FirstRow(null, null);
                return Result(Fail(expected, $"Entry {expected} is damaged: a field cannot be read."));
            }

            var sequence = rows.Sequence;
            first ??= new FirstRow(sequence, null);
            if (sequence != expected)
            {
                return Result(Fail(expected, sequence > expected
                    ? $"Entry {expected} is missing: the ledger jumps from {expected - 1} to {sequence} (deleted)."
                    : $"Entry {sequence} appears out of order (reordered or duplicated)."));
            }

            if (previous is null || !rows.PreviousHash.SequenceEqual(previous))
            {
                return Result(Fail(expected, $"Entry {expected} does not link to the entry before it (inserted, deleted or reordered)."));
            }

            scratch.ResetWrittenCount();
            scratch.Write(previous);
            rows.Encode(scratch);
            sha256.AppendData(scratch.WrittenSpan);
            sha256.GetHashAndReset(computed);
            if (!rows.Hash.SequenceEqual(computed))
            {
                return Result(Fail(expected, $"Entry {expected}'s content does not match its hash (modified after it was written)."));
            }

            if (checkpoints.TryGetValue(expected, out var signedHash))
            {
                if (!signedHash.AsSpan().SequenceEqual(computed))
                {
                    return Result(Fail(lastTrustedCheckpoint + 1, $"The chain at {expected} differs from the checkpoint signed at {expected}: entries after {lastTrustedCheckpoint} were rewritten (inserted, deleted, reordered or modified, then re-hashed)."));
                }

                lastTrustedCheckpoint = expected;
            }

            (previous, computed) = (computed, previous);
            expected++;
            if (++sinceReport == ReportEvery)
            {
                sinceReport = 0;
                if (shared.Add(ReportEvery) is var failedAt && failedAt < range.First)
                {
                    // A range before this one is already broken: what this one finds does not count.
                    return Result(null);
                }
            }
        }
    }

    /// <param name="From">First sequence of the range; null: from the start, whatever the sequence.</param>
    /// <param name="Last">Last sequence of the range; null: to the end.</param>
    private sealed record SequenceRange(long? From, long? Last)
    {
        public long First => From ?? 1;
    }

    /// <summary>What the first row of a range was, for the range before when it ran out early.</summary>
    private sealed record FirstRow(long? Sequence, string? ReadError);

    /// <param name="Failure">The first failure in the range, if any.</param>
    /// <param name="LastChecked">The last entry of the range that passed every check.</param>
    /// <param name="FirstRow">The range's first row; null when it has none.</param>
    private sealed record RangeResult(ChainFailure? Failure, long LastChecked, FirstRow? FirstRow);

    /// <param name="Sequence">The entry where the failure was found.</param>
    /// <param name="Reported">The first sequence that cannot be trusted.</param>
    /// <param name="Reason">What the operator reads.</param>
    private sealed record ChainFailure(long Sequence, long Reported, string Reason);

    /// <summary>Entries checked so far by all ranges, and the earliest failure found so far.</summary>
    private sealed class RangeProgress
    {
        private long entriesChecked;
        private long earliestFailure = long.MaxValue;

        public long Checked => Volatile.Read(ref entriesChecked);

        /// <summary>Counts entries; returns the earliest failure found so far.</summary>
        public long Add(long entries)
        {
            Interlocked.Add(ref entriesChecked, entries);
            return Volatile.Read(ref earliestFailure);
        }

        public void FailedAt(long sequence)
        {
            var seen = Volatile.Read(ref earliestFailure);
            while (sequence < seen)
            {
                var before = Interlocked.CompareExchange(ref earliestFailure, sequence, seen);
                if (before == seen)
                {
                    return;
                }

                seen = before;
            }
        }
    }

    /// <summary>Findings collected during one verification.</summary>
    private sealed class Run
    {
        private readonly List<string> cannotVerify = [];
        private (long Sequence, string Reason)? broken;

        public Dictionary<string, ECDsa> Keys { get; } = new(StringComparer.Ordinal);

        public Dictionary<long, CheckpointRecord> DatabaseCheckpoints { get; } = [];

        /// <summary>Chain hash each signed checkpoint vouches for.</summary>
        public Dictionary<long, byte[]> Expected { get; } = [];

        public List<string> Notes { get; } = [];

        public int FileCheckpoints { get; set; }

        public long EntriesChecked { get; set; }

        public void Broken(long sequence, string reason)
        {
            if (broken is null || sequence < broken.Value.Sequence)
            {
                broken = (sequence, reason);
            }
        }

        public void CannotVerify(string reason) => cannotVerify.Add(reason);

        public LedgerVerdict CannotVerifyNow(string reason)
        {
            CannotVerify(reason);
            return Verdict();
        }

        public bool CheckSignature(CheckpointRecord checkpoint, string where)
        {
            if (!Keys.TryGetValue(checkpoint.KeyId, out var key))
            {
                Broken(checkpoint.Sequence, $"The checkpoint at {checkpoint.Sequence} {where} names signing key {checkpoint.KeyId}, which the database does not hold (key records replaced).");
                return false;
            }

            if (!CheckpointSignature.Verify(key, checkpoint.Sequence, checkpoint.Hash, checkpoint.CreatedAt, checkpoint.Signature))
            {
                Broken(checkpoint.Sequence, $"The checkpoint at {checkpoint.Sequence} {where} has an invalid signature (forged or altered).");
                return false;
            }

            return true;
        }

        public void Expect(CheckpointRecord checkpoint)
        {
            if (Expected.TryGetValue(checkpoint.Sequence, out var hash) && !hash.AsSpan().SequenceEqual(checkpoint.Hash))
            {
                Broken(checkpoint.Sequence, $"Two validly signed checkpoints at {checkpoint.Sequence} disagree: the signing key was misused.");
                return;
            }

            Expected[checkpoint.Sequence] = checkpoint.Hash;
        }

        public LedgerVerdict Verdict()
        {
            var checkpoints = DatabaseCheckpoints.Count + FileCheckpoints;
            foreach (var key in Keys.Values)
            {
                key.Dispose();
            }

            if (broken is { } found)
            {
                var sequence = found.Sequence == long.MaxValue ? (long?)null : found.Sequence;
                return new LedgerVerdict(LedgerVerdictKind.Broken, sequence, found.Reason, EntriesChecked, checkpoints, [.. cannotVerify, .. Notes]);
            }

            if (cannotVerify.Count > 0)
            {
                return new LedgerVerdict(LedgerVerdictKind.CannotVerify, null, cannotVerify[0], EntriesChecked, checkpoints, [.. cannotVerify.Skip(1), .. Notes]);
            }

            return new LedgerVerdict(LedgerVerdictKind.Intact, null, "The chain, every checkpoint signature and the external checkpoint file agree.", EntriesChecked, checkpoints, Notes);
        }
    }
}
