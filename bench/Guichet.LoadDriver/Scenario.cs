namespace Guichet.LoadDriver;

/// <summary>A named load scenario run against a started server.</summary>
internal interface IScenario
{
    string Name { get; }

    string Description { get; }

    /// <summary>False when the scenario measures something other than the server the driver started (its memory is then not reported).</summary>
    bool LoadsDriverServer => true;

    Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}

/// <summary>How long and how hard to push, and the server under test.</summary>
internal sealed record ScenarioContext(ServerProcess Server, TimeSpan Duration, int Concurrency, bool Smoke);

/// <summary>One figure of a report.</summary>
internal sealed record Measure(string Name, double Value, string Unit);

/// <summary>
/// What a scenario measured, and the correctness failures it found (lost acknowledged
/// tickets, a ticket called twice...). Failures make the driver exit non-zero; figures never do.
/// </summary>
internal sealed record ScenarioReport(string Scenario, IReadOnlyList<Measure> Measures, IReadOnlyList<string> Failures)
{
    /// <summary>The server's CPU time over the measured run, per request that succeeded.</summary>
    public static Measure CpuPerRequest(TimeSpan cpuUsed, long requests, string unit = "ms/req") =>
        new("server CPU per request", requests == 0 ? 0 : Math.Round(cpuUsed.TotalMilliseconds / requests, 3), unit);

    public static ScenarioReport From(string scenario, LoadResult result, IEnumerable<Measure>? extra = null, IEnumerable<string>? failures = null) =>
        new(scenario,
        [
            new("throughput", Math.Round(result.PerSecond, 1), "req/s"),
            new("p50", Math.Round(result.Latency.P50, 2), "ms"),
            new("p99", Math.Round(result.Latency.P99, 2), "ms"),
            new("max", Math.Round(result.Latency.Max, 2), "ms"),
            new("ok", result.Succeeded, "req"),
            new("errors", result.Errors, "req"),
            .. extra ?? [],
        ],
        [.. failures ?? []]);
}
