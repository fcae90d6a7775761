using Guichet.Audit;
using Guichet.Customers;
using Guichet.Hosting;
using Guichet.Privacy;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Protection;
using Guichet.Queueing;

namespace Guichet.Cli;

/// <summary>
/// The services the key and privacy verbs need, composed from the same configuration sources
/// and modules as <c>serve</c> (so every module's protected columns and data models are
/// registered), without starting a web server.
/// </summary>
internal static class PrivacyCliServices
{
    public const int ExitConfiguration = 2;
    public const int ExitAuditUnavailable = 3;

    public static ServiceProvider Build(HostSettings settings)
    {
        var configuration = new ConfigurationManager();
        GuichetConfiguration.AddSources(configuration, settings);

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => GuichetConfiguration.AddCliLogging(logging, configuration));
        services.AddPrivacy(configuration);
        services.AddAudit(configuration);
        services.AddQueueing(configuration);
        services.AddHostCustomers(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Key operations are recorded in the ledger before they happen, and do not happen when it
    /// cannot record them. A build without a ledger module says so and proceeds.
    /// </summary>
    public static async Task RecordKeyOperationAsync(IServiceProvider services, string action, string? resourceId, CancellationToken cancellationToken)
    {
        var trail = services.GetRequiredService<IAuditTrail>();
        if (trail is UnavailableAuditTrail)
        {
            await Console.Error.WriteLineAsync("guichet: warning: no audit ledger is configured; this key operation is not recorded.");
            return;
        }

        var actor = new AuditActor(AuditActorKind.System, $"cli:{Environment.UserName}");
        await trail.RecordAsync(new AuditEvent(action, actor, AuditOutcome.Success, ResourceType: "key", ResourceId: resourceId), cancellationToken);
    }

    /// <summary>
    /// Runs a verb's work and turns a refused ledger record or an interruption into a message and
    /// an exit code; key provider errors are reported like every verb's (<see cref="ExpectedErrors"/>).
    /// </summary>
    public static async Task<int> RunAsync(ParseResultSettings parse, Func<IServiceProvider, Task<int>> work)
    {
        await using var services = Build(parse.Settings);
        try
        {
            await PrivacyModule.PrepareStorageAsync(services, parse.CancellationToken);
            return await work(services);
        }
        catch (AuditUnavailableException)
        {
            await Console.Error.WriteLineAsync("guichet: the audit ledger could not record this key operation; nothing was changed.");
            return ExitAuditUnavailable;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("guichet: interrupted; run the command again to resume.");
            return 130;
        }
    }
}

internal sealed record ParseResultSettings(HostSettings Settings, CancellationToken CancellationToken);
