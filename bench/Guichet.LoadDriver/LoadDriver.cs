using System.Text.Json;
using Spectre.Console;

namespace Guichet.LoadDriver;

/// <summary>What to run: which scenarios, how hard, against which build.</summary>
internal sealed record DriverOptions(
    IReadOnlyList<string> Scenarios,
    TimeSpan Duration,
    int Concurrency,
    string ServerDll,
    string? PassThroughServerDll,
    string? JsonPath,
    bool Smoke,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Customers seeded before the lookup and rewrap scenarios (1,000,000 is the target size).</summary>
    public long Customers { get; init; } = 1_000_000;
}

/// <summary>Runs scenarios one after another, each against a freshly started server, and reports.</summary>
internal static class LoadDriver
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public const string PeakWorkingSetMeasure = "server peak working set";

    /// <summary>
    /// Every scenario; <c>all</c> runs them except the PostgreSQL ones, which need a cluster of
    /// their own, and <c>rewrap</c>, which takes minutes at its default size.
    /// </summary>
    public static IReadOnlyList<IScenario> Scenarios(DriverOptions options, PostgresCluster cluster) =>
    [
        new CeilingScenario(),
        new IssueScenario(),
        new IssueFloorScenario(),
        new CallScenario(),
        new FanoutScenario(),
        new PrivacyCostScenario(options.PassThroughServerDll),
        new PostgresScenario(new IssueScenario(), cluster),
        new PostgresScenario(new CallScenario(), cluster),
        new PgcryptoScenario(cluster),
        new LookupScenario(options.Customers),
        new RewrapScenario(options.Customers),
    ];

    /// <summary>
    /// All load comes from one address here, so the per-address ticket limits that protect a
    /// real hall would measure the limiter, not the server: the driver lifts them.
    /// </summary>
    private static readonly Dictionary<string, string> BenchSettings = new()
    {
        ["GUICHET_Queueing__KioskTicketsPerMinute"] = "1000000000",
        ["GUICHET_Queueing__OnlineTicketsPerHour"] = "1000000000",
    };

    public static async Task<IReadOnlyList<ScenarioReport>> RunAsync(DriverOptions options, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(BenchSettings);
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        await using var cluster = new PostgresCluster();
        var known = Scenarios(options, cluster);
        var chosen = options.Scenarios.Contains("all")
            ? [.. known.Where(s => s is not (PostgresScenario or PgcryptoScenario or RewrapScenario))]
            : options.Scenarios.Select(name => Find(known, name)).ToArray();
        var reports = new List<ScenarioReport>();
        foreach (var scenario in chosen)
        {
            var prepares = scenario as IPreparesData;
            var scenarioEnvironment = new Dictionary<string, string>(environment);
            foreach (var (key, value) in prepares?.Settings ?? new Dictionary<string, string>())
            {
                scenarioEnvironment.TryAdd(key, value);
            }

            await using var server = await ServerProcess.StartAsync(
                options.ServerDll, scenarioEnvironment, cancellationToken, prepares is null ? null : (directory, ct) => prepares.PrepareAsync(directory, scenarioEnvironment, ct));
            var report = await scenario.RunAsync(new ScenarioContext(server, options.Duration, options.Concurrency, options.Smoke), cancellationToken);
            reports.Add(!scenario.LoadsDriverServer || report.Measures.Any(m => m.Name == PeakWorkingSetMeasure)
                ? report
                : report with { Measures = [.. report.Measures, new Measure(PeakWorkingSetMeasure, Math.Round(server.PeakWorkingSet / 1048576.0, 1), "MB")] });
        }

        return reports;
    }

    public static void Print(IReadOnlyList<ScenarioReport> reports, IAnsiConsole console)
    {
        foreach (var report in reports)
        {
            var table = new Table().Title(report.Scenario).AddColumn("measure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("unit");
            foreach (var measure in report.Measures)
            {
                table.AddRow(Markup.Escape(measure.Name), measure.Value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(measure.Unit));
            }

            console.Write(table);
            foreach (var failure in report.Failures)
            {
                console.MarkupLineInterpolated($"[red]FAILED[/] {report.Scenario}: {failure}");
            }
        }

        var ceiling = reports.FirstOrDefault(r => r.Scenario == "ceiling");
        var issue = reports.FirstOrDefault(r => r.Scenario == "issue");
        var floor = reports.FirstOrDefault(r => r.Scenario == "issue-floor");
        if (ceiling is not null && issue is not null)
        {
            console.MarkupLineInterpolated($"issue / ceiling throughput ratio: {Throughput(issue) / Throughput(ceiling):0.000}");
        }

        if (ceiling is not null && floor is not null)
        {
            console.MarkupLineInterpolated($"issue-floor / ceiling throughput ratio: {Throughput(floor) / Throughput(ceiling):0.000}");
        }
    }

    public static async Task WriteJsonAsync(IReadOnlyList<ScenarioReport> reports, string path, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, reports, JsonOptions, cancellationToken);
    }

    private static double Throughput(ScenarioReport report) => report.Measures.First(m => m.Name == "throughput").Value;

    private static IScenario Find(IReadOnlyList<IScenario> known, string name) =>
        known.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", known.Select(s => s.Name))}, all");
}
