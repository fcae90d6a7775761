namespace Guichet.LoadDriver;

/// <summary>
/// Another scenario against a server on PostgreSQL instead of the embedded database: a fresh
/// database in the driver's own cluster, migrated with <c>db migrate</c>, then the same load.
/// </summary>
internal sealed class PostgresScenario(IScenario inner, PostgresCluster cluster) : IScenario
{
    public string Name => inner.Name + "-pg";

    public string Description => inner.Description + ", with the server on PostgreSQL";

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var postgres = await cluster.GetAsync(cancellationToken);
        var environment = new Dictionary<string, string>(context.Server.Environment)
        {
            [ServerProcess.ConnectionStringVariable] = await postgres.CreateDatabaseAsync(cancellationToken),
            [ServerProcess.ProviderVariable] = "Postgres",
        };
        await using var server = await ServerProcess.StartAsync(context.Server.ServerDll, environment, cancellationToken);
        var report = await inner.RunAsync(context with { Server = server }, cancellationToken);
        return report with
        {
            Scenario = Name,
            Measures = [.. report.Measures, new Measure(LoadDriver.PeakWorkingSetMeasure, Math.Round(server.PeakWorkingSet / 1048576.0, 1), "MB")],
        };
    }
}

/// <summary>The driver's PostgreSQL cluster, started on first use and shared by every <c>-pg</c> scenario of a run.</summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private PrivatePostgres? running;

    public async Task<PrivatePostgres> GetAsync(CancellationToken cancellationToken) =>
        running ??= await PrivatePostgres.StartAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (running is not null)
        {
            await running.DisposeAsync();
        }
    }
}
