using BenchmarkDotNet.Attributes;
using Guichet.Privacy.Keys;

namespace Guichet.Benchmarks.Privacy;

/// <summary>
/// What a new customer's key costs: subject keys made durable in the key ring on SQLite, in
/// batches as the key pool makes them (<see cref="SubjectKeyPool.MaxBatch"/> per transaction,
/// one fsync), reported per key.
/// </summary>
[MemoryDiagnoser]
public class SubjectKeyBenchmarks
{
    private const int Batch = SubjectKeyPool.MaxBatch;

    private BenchKernel _kernel = null!;
    private KeyRing _keyRing = null!;
    private long _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _kernel = await BenchKernel.CreateAsync();
        _keyRing = _kernel.Get<KeyRing>();
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _kernel.DisposeAsync();

    [Benchmark(Description = "new subject key, made in a batch of 256 (per key)", OperationsPerInvoke = Batch)]
    public async Task NewSubjectKeys()
    {
        var ids = new string[Batch];
        for (var i = 0; i < Batch; i++)
        {
            ids[i] = (++_next).ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var key in (await _keyRing.CreateSubjectKeysAsync(ids, CancellationToken.None)).Values)
        {
            key.Dispose();
        }
    }
}
