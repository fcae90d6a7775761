using Guichet.Audit.Storage;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Keys;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Guichet.Audit.Tests.Infrastructure;

/// <summary>
/// A real ledger in a fresh temporary data directory (SQLite file, checkpoint file), composed
/// with <c>AddAudit</c> exactly as the host composes it, with fake time and a test sealer.
/// </summary>
public sealed class LedgerFixture : IAsyncDisposable
{
    private LedgerFixture(string dataDirectory, FakeTimeProvider time, ISecretSealer sealer, ServiceProvider services)
    {
        DataDirectory = dataDirectory;
        Time = time;
        Sealer = sealer;
        Services = services;
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public ISecretSealer Sealer { get; }

    public ServiceProvider Services { get; private set; }

    public IAuditTrail Trail => Services.GetRequiredService<IAuditTrail>();

    public string DatabasePath => Path.Combine(DataDirectory, "guichet.db");

    public string CheckpointFilePath => Path.Combine(DataDirectory, "audit", "checkpoints.log");

    public static AuditActor Staff(string id) => new(AuditActorKind.Staff, id);

    public static async Task<LedgerFixture> CreateAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        ISecretSealer? sealer = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "guichet-audit-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        sealer ??= new TestSecretSealer();
        var services = Build(dataDirectory, time, sealer, settings, configure);
        await AuditModule.PrepareStorageAsync(services, CancellationToken.None);
        return new LedgerFixture(dataDirectory, time, sealer, services);
    }

    /// <summary>A second composition over the same data directory, as a later CLI run would see it.</summary>
    public ServiceProvider Reopen(ISecretSealer? sealer = null, IDictionary<string, string?>? settings = null) =>
        Build(DataDirectory, Time, sealer ?? Sealer, settings, null);

    public async Task<long> RecordAsync(string action, string actorId = "staff-1", string? resourceType = "customer", string? resourceId = "cus-1", string? branch = "branch-1") =>
        await Trail.RecordAsync(new AuditEvent(action, Staff(actorId), AuditOutcome.Success, resourceType, resourceId, action.EndsWith(".reveal", StringComparison.Ordinal) ? "callback requested" : null, "192.0.2.10", null, branch));

    /// <summary>Stops the writer so the database file is quiet, as after the server stops.</summary>
    public async Task StopAsync()
    {
        await Services.DisposeAsync();
        Services = Build(DataDirectory, Time, Sealer, null, null);
    }

    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    private static ServiceProvider Build(string dataDirectory, FakeTimeProvider time, ISecretSealer sealer, IDictionary<string, string?>? settings, Action<IServiceCollection>? configure)
    {
        var values = new Dictionary<string, string?>
        {
            ["Guichet:DataDirectory"] = dataDirectory,
            ["ConnectionStrings:Guichet"] = $"Data Source={Path.Combine(dataDirectory, "guichet.db")};Pooling=False",
            ["Audit:CheckpointEvery"] = "10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(sealer);
        services.AddAudit(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    internal AuditDbContext CreateContext() => Services.GetRequiredService<AuditStore>().CreateContext();
}
