using System.Collections.Concurrent;

namespace Guichet.LoadDriver;

/// <summary>
/// Many kiosks and phones taking tickets at once; every acknowledged ticket is then looked for
/// in the server's database to prove none was lost. Unless the server is to be used again,
/// it is killed first, mid-flight and without a shutdown: an acknowledged ticket must survive a crash.
/// </summary>
internal sealed class IssueScenario(bool withPhone = true, string name = "issue", bool warmUp = true, bool crashBeforeCheck = true) : IScenario
{
    public string Name => name;

    public string Description => "POST tickets (with a phone number where the service collects one) from many concurrent clients";

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        using var client = LoadClient.Create(context.Server.Address, context.Concurrency);
        var branch = await HallApi.FirstBranchAsync(client, cancellationToken);
        var services = new[] { await BenchServiceAsync(context.Server, client, branch, cancellationToken) };

        var acknowledged = new ConcurrentBag<string>();
        async Task<bool> IssueOneAsync(int worker, CancellationToken ct)
        {
            var n = Interlocked.Increment(ref sequence);
            var service = services[n % services.Length];
            var phone = withPhone && service.CollectsPhone ? FakePhone(n) : null;
            var ticket = await HallApi.IssueAsync(client, branch, service.Id, phone, ct);
            if (ticket is null)
            {
                return false;
            }

            acknowledged.Add(ticket.TrackerToken);
            return true;
        }

        // Not measured: the server's JIT tiers up its hot paths first, as in a hall open for hours.
        // Its tickets are still checked for loss below.
        if (warmUp && !context.Smoke)
        {
            await LoadLoop.RunAsync(context.Concurrency, WarmUp, IssueOneAsync, cancellationToken);
        }

        var cpuBefore = context.Server.CpuTime;
        var result = await LoadLoop.RunAsync(context.Concurrency, context.Duration, IssueOneAsync, cancellationToken);
        var cpuUsed = context.Server.CpuTime - cpuBefore;

        if (crashBeforeCheck)
        {
            await context.Server.CrashAsync();
        }

        var stored = await StoredTickets.TrackerTokensAsync(context.Server, cancellationToken);
        var missing = acknowledged.Count(token => !stored.Contains(token));

        return ScenarioReport.From(Name, result,
            [ScenarioReport.CpuPerRequest(cpuUsed, result.Succeeded), new Measure("acknowledged", acknowledged.Count, "tickets"), new Measure("lost", missing, "tickets")],
            missing == 0 ? [] : [$"{missing} acknowledged tickets were not found afterwards"]);
    }

    /// <summary>
    /// The bench service (prefix Y): open all day, collecting a phone number, with a daily cap
    /// no run reaches, so the run measures the server and not the demo services' caps of 999.
    /// Created once per server through the configuration API.
    /// </summary>
    private static async Task<HallApi.ServiceView> BenchServiceAsync(ServerProcess server, HttpClient client, Guid branch, CancellationToken cancellationToken)
    {
        var existing = (await HallApi.ServicesAsync(client, branch, cancellationToken)).FirstOrDefault(s => s.Prefix == BenchPrefix);
        if (existing is not null)
        {
            return existing;
        }

        var managerKey = await StaffApi.CreateApiKeyAsync(server, "BranchManager", branch, cancellationToken);
        var id = await StaffApi.CreateBenchServiceAsync(client, managerKey, branch, BenchPrefix, cancellationToken);
        return new HallApi.ServiceView(id, $"Bench {BenchPrefix}", BenchPrefix, IsOpenNow: true, CollectsPhone: true);
    }

    private const string BenchPrefix = "Y";

    /// <summary>
    /// Numbers tickets across runs of this instance (warm-up, rounds, both of privacy-cost's
    /// servers), so every ticket brings a number not seen before: a new customer, every time.
    /// </summary>
    private long sequence;

    /// <summary>Load before the measured run.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The n-th new customer's number, in the 138-0 block the tests use (numbers live only in a
    /// run's throw-away data directory). Customers do not arrive in the order of their phone
    /// numbers, so consecutive tickets get scattered numbers: multiplying by a stride prime to 10
    /// visits all ten million numbers of the block, each once, out of order. In order, a
    /// server that indexes the digits as typed would append each batch's entries to a few
    /// index pages, which no real hall's customers do.
    /// </summary>
    private static string FakePhone(long n) => $"+861380{n % 10_000_000 * PhoneStride % 10_000_000:D7}";

    private const long PhoneStride = 3_141_593;
}
