namespace Guichet.LoadDriver;

/// <summary>
/// The cost of privacy: the <c>issue</c> scenario against the real server and against the same
/// host composed with a pass-through kernel (bench/Guichet.PassThroughHost: phone numbers stored
/// as typed, no encryption, no per-customer key, no keyed index). The two servers run side by
/// side and take turns, so machine noise falls on both alike.
/// </summary>
internal sealed class PrivacyCostScenario(string? passThroughServerDll) : IScenario
{
    private const int Rounds = 2;

    public string Name => "privacy-cost";

    public string Description => "issue with a phone number: the real kernel against a pass-through kernel, in alternating rounds";

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var dll = passThroughServerDll ?? BuildOutputs.Find("bench/Guichet.PassThroughHost", "guichet-passthrough.dll");
        await using var passThrough = await ServerProcess.StartAsync(dll, context.Server.Environment, cancellationToken);
        // Warmed up once per server below, not before every round.
        var issue = new IssueScenario(warmUp: false, crashBeforeCheck: false);
        var round = context with { Duration = context.Duration / (Rounds * 2) };
        var warmUp = context with { Duration = context.Smoke ? TimeSpan.FromSeconds(1) : IssueScenario.WarmUp };
        await issue.RunAsync(warmUp, cancellationToken);
        await issue.RunAsync(warmUp with { Server = passThrough }, cancellationToken);

        var protectedRounds = new List<ScenarioReport>();
        var passThroughRounds = new List<ScenarioReport>();
        for (var i = 0; i < Rounds; i++)
        {
            protectedRounds.Add(await issue.RunAsync(round, cancellationToken));
            passThroughRounds.Add(await issue.RunAsync(round with { Server = passThrough }, cancellationToken));
        }

        var protectedThroughput = protectedRounds.Average(r => Value(r, "throughput"));
        var passThroughThroughput = passThroughRounds.Average(r => Value(r, "throughput"));
        return new ScenarioReport(Name,
        [
            new Measure("protected throughput", Math.Round(protectedThroughput, 1), "tickets/s"),
            new Measure("protected p99", Math.Round(protectedRounds.Max(r => Value(r, "p99")), 2), "ms"),
            new Measure("pass-through throughput", Math.Round(passThroughThroughput, 1), "tickets/s"),
            new Measure("pass-through p99", Math.Round(passThroughRounds.Max(r => Value(r, "p99")), 2), "ms"),
            new Measure("protected / pass-through", Math.Round(protectedThroughput / passThroughThroughput, 3), "ratio"),
            // Less noisy than throughput on a shared machine: what each ticket cost the server.
            new Measure("protected CPU per ticket", Math.Round(protectedRounds.Average(r => Value(r, "server CPU per request")), 3), "ms"),
            new Measure("pass-through CPU per ticket", Math.Round(passThroughRounds.Average(r => Value(r, "server CPU per request")), 3), "ms"),
        ],
        [.. protectedRounds.Concat(passThroughRounds).SelectMany(r => r.Failures)]);
    }

    private static double Value(ScenarioReport report, string name) => report.Measures.First(m => m.Name == name).Value;
}
