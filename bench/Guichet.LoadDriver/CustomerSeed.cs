using System.Diagnostics;
using System.Globalization;
using Guichet.Customers;
using Guichet.Customers.Directory;
using Guichet.Customers.Import;
using Guichet.Privacy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guichet.LoadDriver;

/// <summary>
/// Seeds customers straight into a fresh data directory before the server starts, through the
/// customer module's bulk import (the same kernel, keys and format the server reads): one
/// key-ring and one database transaction per 10,000 customers.
/// </summary>
internal static class CustomerSeed
{
    /// <summary>The branch every seeded customer belongs to (and the lookup API key is scoped to).</summary>
    public static readonly Guid Branch = new("6c6f6f6b-7570-4265-6e63-680000000001");

    /// <summary>Customer <paramref name="index"/>'s phone: distinct, valid mobile numbers (+86 138 xxxx xxxx).</summary>
    public static string Phone(long index) => string.Create(CultureInfo.InvariantCulture, $"+86 138 {index / 10_000 % 10_000:D4} {index % 10_000:D4}");

    /// <returns>Customers written per second.</returns>
    public static async Task<double> SeedAsync(string dataDirectory, long count, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Guichet:DataDirectory"] = dataDirectory,
            ["ConnectionStrings:Guichet"] = $"Data Source={Path.Combine(dataDirectory, "guichet.db")}",
        };
        foreach (var (key, value) in environment.Where(e => e.Key.StartsWith("GUICHET_", StringComparison.Ordinal)))
        {
            settings[key["GUICHET_".Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPrivacy(configuration);
        services.AddCustomers(configuration);
        await using var provider = services.BuildServiceProvider();
        await PrivacyModule.MigrateAsync(provider, cancellationToken);
        await CustomersModule.MigrateAsync(provider, cancellationToken);

        await using var scope = provider.CreateAsyncScope();
        var import = scope.ServiceProvider.GetRequiredService<CustomerBulkImport>();
        var branch = Branch.ToString();
        var customers = Enumerable.Range(0, checked((int)count)).Select(i => new NewCustomer(branch, $"Bench Person {i}", Phone(i)));
        var clock = Stopwatch.StartNew();
        var written = await import.ImportAsync(customers, null, cancellationToken);
        return written / clock.Elapsed.TotalSeconds;
    }
}
