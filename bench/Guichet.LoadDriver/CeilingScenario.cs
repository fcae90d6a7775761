namespace Guichet.LoadDriver;

/// <summary>The cheapest endpoint at full load: the request ceiling of this machine in this run.</summary>
internal sealed class CeilingScenario : IScenario
{
    public string Name => "ceiling";

    public string Description => "GET /health at full load: the machine's request ceiling";

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        using var client = LoadClient.Create(context.Server.Address, context.Concurrency);
        var health = new Uri("/health", UriKind.Relative);
        var cpuBefore = context.Server.CpuTime;
        var result = await LoadLoop.RunAsync(context.Concurrency, context.Duration, async (_, ct) =>
        {
            using var response = await client.GetAsync(health, ct);
            return response.IsSuccessStatusCode;
        }, cancellationToken);
        return ScenarioReport.From(Name, result, [ScenarioReport.CpuPerRequest(context.Server.CpuTime - cpuBefore, result.Succeeded)]);
    }
}
