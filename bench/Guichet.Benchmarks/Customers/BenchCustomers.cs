using System.Globalization;
using Guichet.Customers;
using Guichet.Customers.Directory;
using Guichet.Customers.Import;
using Guichet.Privacy;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guichet.Benchmarks.Customers;

/// <summary>
/// N customers on the embedded SQLite database, seeded through the module's bulk import.
/// N comes from <c>GUICHET_BENCH_CUSTOMERS</c> (default 10,000; 1,000,000 is the target size
/// recorded in docs/benchmarks.md).
/// </summary>
internal sealed class BenchCustomers : IAsyncDisposable
{
    public const string CountVariable = "GUICHET_BENCH_CUSTOMERS";
    public const string Branch = "bench";

    private BenchCustomers(string directory, ServiceProvider services, int count)
    {
        Directory = directory;
        Services = services;
        Count = count;
    }

    public string Directory { get; }

    public ServiceProvider Services { get; }

    public int Count { get; }

    public static int CountFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(CountVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10_000;

    public static string Phone(int index) => string.Create(CultureInfo.InvariantCulture, $"+86 138 {index / 10_000 % 10_000:D4} {index % 10_000:D4}");

    public static async Task<BenchCustomers> CreateAsync(int count)
    {
        var directory = Path.Combine(Path.GetTempPath(), "guichet-bench-customers-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Guichet:DataDirectory"] = directory,
            ["ConnectionStrings:Guichet"] = $"Data Source={Path.Combine(directory, "guichet.db")}",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        // The ledger's cost is measured by the Audit benchmarks; here every entry is accepted at once.
        services.AddSingleton<IAuditTrail, AcceptingAuditTrail>();
        services.AddPrivacy(configuration);
        services.AddCustomers(configuration);
        var provider = services.BuildServiceProvider();
        await PrivacyModule.MigrateAsync(provider, CancellationToken.None);
        await CustomersModule.MigrateAsync(provider, CancellationToken.None);
        await using (var scope = provider.CreateAsyncScope())
        {
            var customers = Enumerable.Range(0, count).Select(i => new NewCustomer(Branch, $"Bench Person {i}", Phone(i)));
            await scope.ServiceProvider.GetRequiredService<CustomerBulkImport>().ImportAsync(customers, null, CancellationToken.None);
        }

        return new BenchCustomers(directory, provider, count);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private sealed class AcceptingAuditTrail : IAuditTrail
    {
        private long sequence;

        public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Interlocked.Increment(ref sequence));
    }
}
