using System.Collections.Concurrent;

namespace Guichet.LoadDriver;

/// <summary>
/// Many kiosks and phones taking tickets at once; every acknowledged ticket is then looked up
/// again to prove none was lost.
/// </summary>
internal sealed class IssueScenario(bool withPhone = true, string name = "issue") : IScenario
{
    public string Name => name;

    public string Description => "POST tickets (with a phone number where the service collects one) from many concurrent clients";

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        using var client = LoadClient.Create(context.Server.Address, context.Concurrency);
        var branch = await HallApi.FirstBranchAsync(client, cancellationToken);
        var services = (await HallApi.ServicesAsync(client, branch, cancellationToken)).Where(s => s.IsOpenNow).ToArray();
        if (services.Length == 0)
        {
            throw new InvalidOperationException("no open service to issue tickets for");
        }

        var acknowledged = new ConcurrentBag<string>();
        var sequence = 0L;
        var result = await LoadLoop.RunAsync(context.Concurrency, context.Duration, async (worker, ct) =>
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
        }, cancellationToken);

        var missing = 0;
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (token, ct) =>
        {
            if (!await HallApi.TicketExistsAsync(client, token, ct))
            {
                Interlocked.Increment(ref missing);
            }
        });

        return ScenarioReport.From(Name, result,
            [new Measure("acknowledged", acknowledged.Count, "tickets"), new Measure("lost", missing, "tickets")],
            missing == 0 ? [] : [$"{missing} acknowledged tickets were not found afterwards"]);
    }

    // Numbers in a reserved-looking test range; never a real subscriber's.
    private static string FakePhone(long n) => $"+86138001{n % 100000:D5}";
}
