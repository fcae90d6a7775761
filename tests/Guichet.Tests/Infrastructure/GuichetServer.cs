using Guichet.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Infrastructure;

/// <summary>
/// A real Guichet host on loopback sockets (HTTPS and HTTP, ephemeral ports) over a fresh
/// data directory, built by the same composition as <c>guichet serve</c>.
/// </summary>
public sealed class GuichetServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private GuichetServer(WebApplication app, string dataDirectory)
    {
        this.app = app;
        DataDirectory = dataDirectory;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        HttpsAddress = new Uri(addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)));
        HttpAddress = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
    }

    public string DataDirectory { get; }

    public Uri HttpsAddress { get; }

    public Uri HttpAddress { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<GuichetServer> StartAsync(string? dataDirectory = null, bool demo = true, Action<WebApplicationBuilder>? configure = null)
    {
        dataDirectory ??= TestDirectories.Create();
        var settings = new HostSettings(dataDirectory, ["https://127.0.0.1:0", "http://127.0.0.1:0"], Demo: demo);
        var app = GuichetApp.Build(settings, configure);
        await GuichetApp.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        return new GuichetServer(app, dataDirectory);
    }

    /// <summary>An HTTPS client that trusts the test server's self-signed certificate and nothing else.</summary>
    public HttpClient CreateClient(bool allowRedirects = true)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = allowRedirects,
            UseCookies = true,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.Subject == "CN=localhost",
        };
        return new HttpClient(handler) { BaseAddress = HttpsAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
