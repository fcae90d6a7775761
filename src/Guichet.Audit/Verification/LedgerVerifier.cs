using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Guichet.Privacy.Keys;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Guichet.Audit.Verification;

/// <summary>
/// Recomputes the hash chain from the first entry, checks every checkpoint signature (in the
/// database and in the external file), and that the chain passes through every signed
/// checkpoint. Reads only; never throws on a damaged ledger — every problem is a verdict.
/// </summary>
internal sealed class LedgerVerifier(AuditStore store, IServiceProvider services, IOptions<AuditOptions> options)
{
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
            return store.CreateContext().Database.GetDbConnection();
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

    private async Task<LedgerRows> OpenRowsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite && !store.IsPostgres
            ? SqliteLedgerRows.Open(sqlite)
            : await ProviderLedgerRows.OpenAsync(connection, cancellationToken);

    /// <summary>
    /// Reads the entries in sequence order and checks, for each, what needs the entry before
    /// it (sequence, link, signed checkpoints); the hashes are recomputed meanwhile on the
    /// other cores. The verdict is the one a check of one entry after the other gives: the
    /// first entry found wrong, in sequence order, and for one entry the checks in the order
    /// readable, in sequence, linked, hash, checkpoint.
    /// </summary>
    private async Task CheckChainAsync(DbConnection connection, Run run, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var rows = await OpenRowsAsync(connection, cancellationToken);
        var hashing = new ChainHashing(Environment.ProcessorCount, cancellationToken);
        ChainFailure? failure;
        try
        {
            failure = await ReadChainAsync(rows, hashing, run, progress, cancellationToken);
        }
        finally
        {
            await hashing.CompleteAsync();
        }

        var mismatch = hashing.FirstMismatch;
        if (mismatch != long.MaxValue && (failure is null || mismatch < failure.Sequence || (mismatch == failure.Sequence && failure.AfterHash)))
        {
            failure = new ChainFailure(mismatch, mismatch, $"Entry {mismatch}'s content does not match its hash (modified after it was written).", AfterHash: false);
        }

        if (failure is not null)
        {
            run.EntriesChecked = failure.Sequence - 1;
            run.Broken(failure.Reported, failure.Reason);
            return;
        }

        var last = run.EntriesChecked;
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

    /// <summary>
    /// The reading side: returns the first failure it finds, or null (also when the hashing
    /// side has already found an earlier one). <see cref="Run.EntriesChecked"/> is the last entry read.
    /// </summary>
    private static async Task<ChainFailure?> ReadChainAsync(LedgerRows rows, ChainHashing hashing, Run run, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var previous = LedgerHash.Genesis;
        var previousIsWhole = true;
        long expected = 1;
        long lastTrustedCheckpoint = 0;
        var batch = await hashing.TakeEmptyAsync(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await rows.ReadAsync(cancellationToken))
                    {
                        return null;
                    }
                }
                catch (DbException ex)
                {
                    return new ChainFailure(expected, expected, $"The ledger database is damaged after entry {expected - 1} ({ex.Message}).", AfterHash: false);
                }

                if (!rows.IsReadable)
                {
                    return new ChainFailure(expected, expected, $"Entry {expected} is damaged: a field cannot be read.", AfterHash: false);
                }

                var sequence = rows.Sequence;
                if (sequence != expected)
                {
                    return new ChainFailure(expected, expected, sequence > expected
                        ? $"Entry {expected} is missing: the ledger jumps from {expected - 1} to {sequence} (deleted)."
                        : $"Entry {sequence} appears out of order (reordered or duplicated).", AfterHash: false);
                }

                // Compared with the hash stored in the entry before: when that is not the entry
                // before's real hash, the hashing side reports the entry before, which comes first.
                var previousHash = rows.PreviousHash;
                if (!previousIsWhole || !previousHash.SequenceEqual(previous))
                {
                    return new ChainFailure(expected, expected, $"Entry {expected} does not link to the entry before it (inserted, deleted or reordered).", AfterHash: false);
                }

                batch.Add(expected, previousHash, rows);
                var hash = rows.Hash;
                previousIsWhole = hash.Length == LedgerHash.Size;
                if (previousIsWhole)
                {
                    hash.CopyTo(previous);
                }

                if (run.Expected.TryGetValue(expected, out var signedHash))
                {
                    // Compared with the stored hash too: when that is not the entry's real hash,
                    // the hashing side reports this same entry, and its finding comes first.
                    if (!previousIsWhole || !signedHash.AsSpan().SequenceEqual(previous))
                    {
                        return new ChainFailure(expected, lastTrustedCheckpoint + 1, $"The chain at {expected} differs from the checkpoint signed at {expected}: entries after {lastTrustedCheckpoint} were rewritten (inserted, deleted, reordered or modified, then re-hashed).", AfterHash: true);
                    }

                    lastTrustedCheckpoint = expected;
                }

                run.EntriesChecked = expected;
                if ((expected & 0xFFFF) == 0)
                {
                    progress?.Report(expected);
                }

                expected++;
                if (batch.IsFull)
                {
                    await hashing.SubmitAsync(batch, cancellationToken);
                    batch = await hashing.TakeEmptyAsync(cancellationToken);
                    if (hashing.FirstMismatch < expected)
                    {
                        // Everything after a modified entry is moot.
                        return null;
                    }
                }
            }
        }
        finally
        {
            if (batch.Count > 0)
            {
                await hashing.SubmitAsync(batch, CancellationToken.None);
            }
        }
    }

    /// <param name="Sequence">The entry where the failure was found.</param>
    /// <param name="Reported">The first sequence that cannot be trusted.</param>
    /// <param name="Reason">What the operator reads.</param>
    /// <param name="AfterHash">Found by a check that comes after the entry's own hash check.</param>
    private sealed record ChainFailure(long Sequence, long Reported, string Reason, bool AfterHash);

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
