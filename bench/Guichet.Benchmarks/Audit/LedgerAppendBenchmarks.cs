using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Benchmarks.Audit;

/// <summary>
/// Durable appends: each operation is one entry whose RecordAsync returned, i.e. committed and
/// fsynced. <see cref="Concurrent"/> has many callers in flight (group commit shares fsyncs);
/// <see cref="Sequential"/> is one caller waiting for each entry.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LedgerAppendBenchmarks
{
    private const int Entries = 20_000;
    private BenchLedger? ledger;
    private IAuditTrail? trail;

    [Params(64, 512)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        ledger = await BenchLedger.CreateAsync();
        trail = ledger.Services.GetRequiredService<IAuditTrail>();
    }

    [GlobalCleanup]
    public async Task CleanUpAsync() => await ledger!.DisposeAsync();

    [Benchmark(OperationsPerInvoke = Entries)]
    public async Task Concurrent()
    {
        var perCaller = Entries / Callers;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
        {
            var actor = new AuditActor(AuditActorKind.Staff, $"staff-{caller}");
            for (var i = 0; i < perCaller; i++)
            {
                await trail!.RecordAsync(new AuditEvent("customer.lookup", actor, AuditOutcome.Success, "ticket", $"t-{caller}-{i}", null, "192.0.2.10", null, "branch-1"));
            }
        }));
    }

    [Benchmark(OperationsPerInvoke = 200)]
    public async Task Sequential()
    {
        var actor = new AuditActor(AuditActorKind.Staff, "staff-1");
        for (var i = 0; i < 200; i++)
        {
            await trail!.RecordAsync(new AuditEvent("customer.lookup", actor, AuditOutcome.Success, "ticket", $"t-{i}"));
        }
    }
}
