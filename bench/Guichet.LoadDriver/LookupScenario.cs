using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Guichet.LoadDriver;

/// <summary>
/// Staff finding a customer by phone among many: N customers are seeded in bulk before the
/// server starts, then concurrent POST /api/v1/customers/search by full number over HTTPS with a
/// ServiceAgent API key. Each answer must be exactly the one customer with that number.
/// </summary>
internal sealed class LookupScenario(long customers) : IScenario, IPreparesData
{
    private double seedRate;

    /// <summary>Searching before the measured run, so the server's JIT has tiered up the search path, as in a branch open for hours.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);

    public string Name => "lookup";

    public string Description => $"find a customer by phone among {customers:N0} (blind index, masked answer, one ledger entry per lookup)";

    /// <summary>
    /// One API key looks up every customer: the distinct-customers rule would alert and freeze
    /// it, which is its job and not what this measures, so the driver lifts that rule.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["GUICHET_Audit__Rules__DistinctCustomers__AlertAbove"] = "0",
        ["GUICHET_Audit__Rules__DistinctCustomers__FreezeAbove"] = "0",
    };

    public async Task PrepareAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
        seedRate = await CustomerSeed.SeedAsync(dataDirectory, customers, environment, cancellationToken);

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        using var client = LoadClient.Create(context.Server.Address, context.Concurrency);
        var key = await StaffApi.CreateApiKeyAsync(context.Server, "ServiceAgent", CustomerSeed.Branch, cancellationToken);
        var wrong = 0L;
        async Task<bool> SearchOneAsync(int worker, CancellationToken ct)
        {
            // Which customer to look up next: spread over the table, nothing secret about it.
            var index = (long)(System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue) % customers);
            using var request = StaffApi.Request(HttpMethod.Post, "/api/v1/customers/search", key, new { phone = CustomerSeed.Phone(index) });
            using var response = await client.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            var found = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (found.GetArrayLength() != 1)
            {
                Interlocked.Increment(ref wrong);
                return false;
            }

            return true;
        }

        if (!context.Smoke)
        {
            await LoadLoop.RunAsync(context.Concurrency, WarmUp, SearchOneAsync, cancellationToken);
        }

        var result = await LoadLoop.RunAsync(context.Concurrency, context.Duration, SearchOneAsync, cancellationToken);

        var failures = new List<string>();
        if (wrong > 0)
        {
            failures.Add($"{wrong} searches did not answer exactly the one customer with that number");
        }

        if (result.Succeeded == 0)
        {
            failures.Add("no search succeeded");
        }

        return ScenarioReport.From(Name, result,
        [
            new Measure("customers", customers, "rows"),
            new Measure("seed rate", Math.Round(seedRate), "customers/s"),
        ], failures);
    }
}

/// <summary>A scenario that writes its data into the fresh data directory before the server starts.</summary>
internal interface IPreparesData
{
    /// <summary>Server settings the scenario needs (GUICHET_ variables).</summary>
    IReadOnlyDictionary<string, string> Settings { get; }

    Task PrepareAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken);
}
