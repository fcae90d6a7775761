using BenchmarkDotNet.Attributes;
using Guichet.Privacy.Rotation;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Benchmarks.Customers;

/// <summary>
/// Rewrap throughput (issue 3: rows/s for 1,000,000 rows): every customer's key gets a new
/// version, then <c>keys rewrap</c>'s walk re-encrypts every stored value (name and phone of
/// each of the N customers) under it. Throughput = 2N values / reported time.
/// N from <c>GUICHET_BENCH_CUSTOMERS</c>.
/// </summary>
// One rewrap per iteration (each needs a fresh rotation), few iterations: a run over 1,000,000
// customers takes minutes. Job attributes only; the toolchain stays the command line's (--inProcess).
[WarmupCount(0)]
[IterationCount(3)]
[InvocationCount(1)]
public class CustomerRewrapBenchmarks
{
    private BenchCustomers customers = null!;
    private KeyRotation rotation = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        customers = await BenchCustomers.CreateAsync(BenchCustomers.CountFromEnvironment());
        rotation = customers.Services.GetRequiredService<KeyRotation>();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await customers.DisposeAsync();

    [IterationSetup]
    public void Rotate() => rotation.RotateAsync(null, CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark(Description = "rewrap every customer value (name + phone) after a rotation")]
    public async Task<long> Rewrap()
    {
        var summary = await rotation.RewrapAsync(500, null, null, CancellationToken.None);
        return summary.Rewrapped == 2L * customers.Count ? summary.Rewrapped : throw new InvalidOperationException("not every value was rewrapped");
    }
}
