using Guichet.LoadDriver;

namespace Guichet.Tests.Bench;

/// <summary>
/// The load driver's scenarios, each for a couple of seconds against real Release builds of
/// the server, so the instruments cannot rot. Only correctness is asserted here (no lost
/// ticket, no ticket called twice, every screen fed); speed is for docs/benchmarks.md.
/// </summary>
public sealed class LoadDriverSmokeTests
{
    [Theory]
    [InlineData("ceiling")]
    [InlineData("issue")]
    [InlineData("issue-floor")]
    [InlineData("call")]
    [InlineData("fanout")]
    [InlineData("privacy-cost")]
    [InlineData("pgcrypto")]
    [InlineData("issue-pg")]
    [InlineData("call-pg")]
    [InlineData("lookup")]
    [InlineData("rewrap")]
    public async Task Scenario_runs_and_finds_nothing_wrong(string scenario)
    {
        var options = new DriverOptions(
            [scenario],
            TimeSpan.FromSeconds(2),
            Concurrency: 4,
            ServerDll: BuildOutputs.Find("src/Guichet", "guichet.dll"),
            PassThroughServerDll: null,
            JsonPath: null,
            Smoke: true,
            Environment: new Dictionary<string, string>())
        {
            Customers = 1_000,
        };

        var reports = await LoadDriver.LoadDriver.RunAsync(options, CancellationToken.None);

        var report = Assert.Single(reports);
        Assert.Equal(scenario, report.Scenario);
        Assert.Empty(report.Failures);
        Assert.Contains(report.Measures, m => m.Value > 0 && m.Name is "ok" or "calls" or "protected throughput" or "rewrapped rows");
        if (scenario == "rewrap")
        {
            Assert.Contains(report.Measures, m => m.Name == "rewrapped rows" && m.Value == options.Customers);
            Assert.Contains(report.Measures, m => m.Name == "rows on an old key version" && m.Value == 0);
        }
    }
}
