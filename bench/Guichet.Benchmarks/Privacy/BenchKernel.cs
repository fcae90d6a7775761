using Guichet.Privacy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Benchmarks.Privacy;

/// <summary>The privacy kernel with its key ring on a real SQLite file in a fresh temporary data directory.</summary>
internal sealed class BenchKernel : IAsyncDisposable
{
    private readonly string _directory;

    private BenchKernel(string directory, ServiceProvider services)
    {
        _directory = directory;
        Services = services;
    }

    public ServiceProvider Services { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<BenchKernel> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "guichet-bench-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Guichet:DataDirectory"] = directory })
            .Build();
        var services = new ServiceCollection().AddLogging().AddPrivacy(configuration).BuildServiceProvider();
        await PrivacyModule.PrepareStorageAsync(services, CancellationToken.None);
        return new BenchKernel(directory, services);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
