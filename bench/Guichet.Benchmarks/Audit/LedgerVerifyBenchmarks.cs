using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Guichet.Audit.Verification;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Benchmarks.Audit;

/// <summary>
/// <c>audit verify</c> over one million entries in a SQLite file: read, re-encode, re-hash,
/// compare; one operation is one entry. Beside it, on the same file and bytes, the parts it is
/// made of, each on one core: reading the rows and encoding them, SHA-256 alone over the same
/// bytes (one-shot and a reused incremental instance), and reading each row into an entry
/// object and hashing it, one entry after the other.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LedgerVerifyBenchmarks
{
    private const int Entries = 1_000_000;
    private static readonly string[] ParameterNames = ["$s", "$t", "$a", "$r", "$p", "$h"];
    private BenchLedger? ledger;
    private byte[] hashInput = [];
    private int[] hashInputEnds = [];

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        ledger = await BenchLedger.CreateAsync();
        var store = ledger.Services.GetRequiredService<AuditStore>();
        await using var connection = new SqliteConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO audit_entries (sequence, occurred_at, actor_kind, actor_id, action, resource_type, resource_id, purpose, outcome, client_address, correlation_id, branch_id, previous_hash, hash) " +
            "VALUES ($s, $t, 'staff', $a, 'customer.lookup', 'customer', $r, NULL, 'success', '192.0.2.10', NULL, 'branch-1', $p, $h)";
        var parameters = ParameterNames.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        var previous = LedgerHash.Genesis;
        var time = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        for (var sequence = 1; sequence <= Entries; sequence++)
        {
            var entry = new LedgerEntry
            {
                Sequence = sequence,
                OccurredAt = time.AddTicks(sequence * 10L),
                ActorKind = "staff",
                ActorId = $"staff-{sequence % 50}",
                Action = "customer.lookup",
                ResourceType = "customer",
                ResourceId = $"cus-{sequence}",
                Outcome = "success",
                ClientAddress = "192.0.2.10",
                BranchId = "branch-1",
                PreviousHash = previous,
            };
            entry.Hash = LedgerHash.Compute(previous, entry);
            parameters[0].Value = entry.Sequence;
            parameters[1].Value = entry.OccurredAt;
            parameters[2].Value = entry.ActorId;
            parameters[3].Value = entry.ResourceId;
            parameters[4].Value = entry.PreviousHash;
            parameters[5].Value = entry.Hash;
            await command.ExecuteNonQueryAsync();
            previous = entry.Hash;
        }

        await transaction.CommitAsync();
        await PrepareHashInputAsync(store);
    }

    [GlobalCleanup]
    public async Task CleanUpAsync() => await ledger!.DisposeAsync();

    [Benchmark(OperationsPerInvoke = Entries)]
    public async Task<LedgerVerdict> Verify()
    {
        var verdict = await ledger!.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(null, CancellationToken.None);
        if (verdict.Kind != LedgerVerdictKind.Intact || verdict.EntriesChecked != Entries)
        {
            throw new InvalidOperationException(verdict.Reason);
        }

        return verdict;
    }

    /// <summary>The same verification with the chain checked as one range, on one core.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public async Task<LedgerVerdict> VerifyOneRange()
    {
        var verifier = ledger!.Services.GetRequiredService<LedgerVerifier>();
        var ranges = verifier.RangeCount;
        verifier.RangeCount = 1;
        try
        {
            var verdict = await verifier.VerifyAsync(null, CancellationToken.None);
            return verdict.Kind == LedgerVerdictKind.Intact && verdict.EntriesChecked == Entries ? verdict : throw new InvalidOperationException(verdict.Reason);
        }
        finally
        {
            verifier.RangeCount = ranges;
        }
    }

    /// <summary>Reading and encoding only, as the verifier reads: the floor of the reading side.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public async Task<long> ReadAndEncodeOneCore()
    {
        await using var connection = new SqliteConnection(ledger!.Services.GetRequiredService<AuditStore>().ConnectionString);
        await connection.OpenAsync();
        await using var rows = SqliteLedgerRows.Open(connection);
        var output = new ArrayBufferWriter<byte>(1024);
        long bytes = 0;
        while (await rows.ReadAsync(CancellationToken.None))
        {
            output.ResetWrittenCount();
            output.Write(rows.PreviousHash);
            rows.Encode(output);
            bytes += output.WrittenCount + rows.Hash.Length + rows.Sequence;
        }

        return bytes;
    }

    /// <summary>SHA-256 alone over the bytes the verifier hashes, one-shot per entry: the floor of the hashing side.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public byte Sha256OneShotOneCore()
    {
        Span<byte> hash = stackalloc byte[LedgerHash.Size];
        var start = 0;
        foreach (var end in hashInputEnds)
        {
            SHA256.HashData(hashInput.AsSpan(start..end), hash);
            start = end;
        }

        return hash[0];
    }

    /// <summary>The same with one reused incremental hash.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public byte Sha256IncrementalOneCore()
    {
        Span<byte> hash = stackalloc byte[LedgerHash.Size];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var start = 0;
        foreach (var end in hashInputEnds)
        {
            sha.AppendData(hashInput.AsSpan(start..end));
            sha.GetHashAndReset(hash);
            start = end;
        }

        return hash[0];
    }

    /// <summary>
    /// Each row read into an entry object (a string per field) through SqliteDataReader and
    /// hashed before the next row is read: one entry after the other, on one core.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public async Task<long> EntryObjectsOneCore()
    {
        await using var connection = new SqliteConnection(ledger!.Services.GetRequiredService<AuditStore>().ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {LedgerRows.Columns} FROM audit_entries ORDER BY sequence";
        await using var reader = await command.ExecuteReaderAsync();
        var previous = LedgerHash.Genesis;
        var computed = new byte[LedgerHash.Size];
        var scratch = new ArrayBufferWriter<byte>(512);
        long matched = 0;
        while (await reader.ReadAsync())
        {
            var entry = LedgerRows.TryMaterialize(reader, 0)!;
            LedgerHash.Compute(previous, entry, computed, scratch);
            if (entry.Hash.AsSpan().SequenceEqual(computed) && entry.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                matched++;
            }

            (previous, computed) = (computed, previous);
        }

        return matched == Entries ? matched : throw new InvalidOperationException("The bench ledger does not verify.");
    }

    private async Task PrepareHashInputAsync(AuditStore store)
    {
        await using var connection = new SqliteConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var rows = SqliteLedgerRows.Open(connection);
        var output = new ArrayBufferWriter<byte>(Entries * 192);
        var ends = new List<int>(Entries);
        while (await rows.ReadAsync(CancellationToken.None))
        {
            output.Write(rows.PreviousHash);
            rows.Encode(output);
            ends.Add(output.WrittenCount);
        }

        hashInput = output.WrittenSpan.ToArray();
        hashInputEnds = [.. ends];
    }
}
