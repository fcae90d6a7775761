using Guichet.Privacy.Auditing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Guichet.Privacy.Tests.Infrastructure;

/// <summary>The kernel composed as the host composes it (AddPrivacy + PrepareStorageAsync) on a temp data directory.</summary>
internal sealed class PrivacyTestHost : IAsyncDisposable
{
    private PrivacyTestHost(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public FakeAuditTrail Audit => Services.GetRequiredService<FakeAuditTrail>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public FakeTimeProvider Time => Services.GetRequiredService<FakeTimeProvider>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<PrivacyTestHost> StartAsync(
        string dataDirectory,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?> { ["Guichet:DataDirectory"] = dataDirectory };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddFakeLogging();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        services.AddSingleton(time);
        services.AddSingleton<TimeProvider>(time);
        services.AddPrivacy(configuration);
        services.AddSingleton<FakeAuditTrail>();
        services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<FakeAuditTrail>());
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            await PrivacyModule.PrepareStorageAsync(provider, CancellationToken.None);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }

        return new PrivacyTestHost(provider);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
