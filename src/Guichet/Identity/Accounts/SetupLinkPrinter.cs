using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.Accounts;

/// <summary>
/// On a fresh installation (no administrator yet), prints a one-time setup link to the console
/// once the server listens. The link is single-use, expires, and only its hash is stored; it is
/// written to the console only, never to the log.
/// </summary>
internal sealed partial class SetupLinkPrinter(IServiceProvider services, IServer server, IOptionsMonitor<GuichetIdentityOptions> options, ILogger<SetupLinkPrinter> logger) : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var secret = await scope.ServiceProvider.GetRequiredService<StaffAccounts>().IssueSetupTokenAsync(cancellationToken);
            if (secret is null)
            {
                return;
            }

            var origin = options.CurrentValue.PublicOrigin ?? HttpsOrigin(server.Features.Get<IServerAddressesFeature>()?.Addresses);
            await Console.Out.WriteLineAsync(
                $"No administrator exists yet. Open this one-time link to create the first one (valid {options.CurrentValue.EnrolmentLinkLifetime.TotalHours:0} h):{Environment.NewLine}  {new Uri(origin, "/account/setup?token=" + secret)}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            LogSetupLinkFailed(logger, ex);
        }
    }

    public static Uri HttpsOrigin(IEnumerable<string>? addresses)
    {
        var https = addresses?.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ?? "https://localhost:5443";
        var uri = new Uri(https.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal));
        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not prepare the first-administrator setup link")]
    private static partial void LogSetupLinkFailed(ILogger logger, Exception exception);
}
