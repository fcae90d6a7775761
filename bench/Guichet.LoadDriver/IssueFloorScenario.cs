using System.Net;
using System.Net.Http.Json;

namespace Guichet.LoadDriver;

/// <summary>
/// The issue request without its ticket: the same POST as <c>issue</c>, from as many clients,
/// with a channel the endpoint refuses before it reaches the queue. What is left is what every
/// ticket pays around its own work (TLS, HTTP, the middleware, the rate limiter, JSON in and a
/// JSON answer out); set beside <c>ceiling</c> and <c>issue</c> in one run, it tells how much
/// of a ticket's cost is the request and how much is the ticket.
/// </summary>
internal sealed class IssueFloorScenario : IScenario
{
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    public string Name => "issue-floor";

    public string Description => "the issue request refused before it reaches the queue: what a ticket costs around its own work";

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        using var client = LoadClient.Create(context.Server.Address, context.Concurrency);
        var branch = await HallApi.FirstBranchAsync(client, cancellationToken);
        var path = new Uri($"/api/v1/branches/{branch}/tickets", UriKind.Relative);
        long unexpected = 0;
        async Task<bool> RefusedAsync(int worker, CancellationToken ct)
        {
            // The shape of a kiosk's request, a fake phone of the test block included, with a channel no client has.
            var body = new { serviceId = Guid.NewGuid(), channel = "bench-floor", phone = "+8613800000000" };
            using var response = await client.PostAsJsonAsync(path, body, HallApi.Json, ct);
            var problem = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.BadRequest && problem.Contains("\"channel\"", StringComparison.Ordinal))
            {
                return true;
            }

            Interlocked.Increment(ref unexpected);
            return false;
        }

        if (!context.Smoke)
        {
            await LoadLoop.RunAsync(context.Concurrency, WarmUp, RefusedAsync, cancellationToken);
            Interlocked.Exchange(ref unexpected, 0);
        }

        var cpuBefore = context.Server.CpuTime;
        var result = await LoadLoop.RunAsync(context.Concurrency, context.Duration, RefusedAsync, cancellationToken);
        var cpuUsed = context.Server.CpuTime - cpuBefore;
        return ScenarioReport.From(Name, result,
            [ScenarioReport.CpuPerRequest(cpuUsed, result.Succeeded), new Measure("answers other than the channel's 400", unexpected, "req")],
            unexpected == 0 && result.Succeeded > 0 ? [] : [$"{unexpected} requests were not refused for their channel"]);
    }
}
