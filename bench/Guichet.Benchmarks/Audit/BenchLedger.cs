using System.Security.Cryptography;
using System.Text;
using Guichet.Audit;
using Guichet.Privacy.Keys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Benchmarks.Audit;

/// <summary>A ledger on a real SQLite file in a fresh temporary data directory (WAL, synchronous=FULL).</summary>
internal sealed class BenchLedger : IAsyncDisposable
{
    private BenchLedger(string dataDirectory, ServiceProvider services)
    {
        DataDirectory = dataDirectory;
        Services = services;
    }

    public string DataDirectory { get; }

    public ServiceProvider Services { get; }

    public static async Task<BenchLedger> CreateAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "guichet-audit-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Guichet:DataDirectory"] = dataDirectory,
            ["ConnectionStrings:Guichet"] = $"Data Source={Path.Combine(dataDirectory, "guichet.db")}",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ISecretSealer, BenchSealer>();
        services.AddAudit(configuration);
        var provider = services.BuildServiceProvider();
        await AuditModule.MigrateAsync(provider, CancellationToken.None);
        return new BenchLedger(dataDirectory, provider);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private sealed class BenchSealer : ISecretSealer
    {
        private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

        public byte[] Seal(ReadOnlySpan<byte> secret, string purpose)
        {
            var output = new byte[12 + secret.Length + 16];
            RandomNumberGenerator.Fill(output.AsSpan(0, 12));
            using var aes = new AesGcm(key, 16);
            aes.Encrypt(output.AsSpan(0, 12), secret, output.AsSpan(12, secret.Length), output.AsSpan(12 + secret.Length), Encoding.UTF8.GetBytes(purpose));
            return output;
        }

        public byte[] Unseal(ReadOnlySpan<byte> sealedSecret, string purpose)
        {
            var plaintext = new byte[sealedSecret.Length - 28];
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(sealedSecret[..12], sealedSecret[12..^16], sealedSecret[^16..], plaintext, Encoding.UTF8.GetBytes(purpose));
            return plaintext;
        }
    }
}
