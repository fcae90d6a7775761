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
/// compare; one operation is one entry.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LedgerVerifyBenchmarks
{
    private const int Entries = 1_000_000;
    private static readonly string[] ParameterNames = ["$s", "$t", "$a", "$r", "$p", "$h"];
    private BenchLedger? ledger;

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
}
