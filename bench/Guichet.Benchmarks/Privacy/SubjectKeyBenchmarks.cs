using BenchmarkDotNet.Attributes;
using Guichet.Privacy;
using Guichet.Privacy.Keys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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

    private string _directory = string.Empty;
    private ServiceProvider _services = null!;
    private KeyRing _keyRing = null!;
    private long _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "guichet-bench-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Guichet:DataDirectory"] = _directory })
            .Build();
        _services = new ServiceCollection().AddLogging().AddPrivacy(configuration).BuildServiceProvider();
        await PrivacyModule.PrepareStorageAsync(_services, CancellationToken.None);
        _keyRing = _services.GetRequiredService<KeyRing>();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

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
