using Guichet.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Browser.Tests.Infrastructure;

/// <summary>
/// A real Guichet host on a loopback socket over a fresh data directory, built by the same
/// composition as <c>guichet serve --demo</c>. The browser reaches it as
/// <c>https://localhost:port</c> (Kestrel cannot bind "localhost" to an ephemeral port, so it
/// binds 127.0.0.1 and the browser resolves localhost there; WebAuthn needs a host name).
/// </summary>
public sealed class HallServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private HallServer(WebApplication app, string dataDirectory)
    {
        this.app = app;
        DataDirectory = dataDirectory;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var https = new Uri(addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)));
        BaseAddress = new UriBuilder(https) { Host = "localhost" }.Uri;
    }

    public string DataDirectory { get; }

    /// <summary>https://localhost:port/</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<HallServer> StartAsync(bool demo = true, Action<WebApplicationBuilder>? configure = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "guichet-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var settings = new HostSettings(dataDirectory, ["https://127.0.0.1:0"], Demo: demo);
        var app = GuichetApp.Build(settings, configure);
        await GuichetApp.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        return new HallServer(app, dataDirectory);
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>An API client that trusts this server's self-signed certificate and nothing else.</summary>
    public HttpClient CreateClient()
    {
        var handler = new HttpClientHandler
        {
            UseCookies = true,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.Subject == "CN=localhost",
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (SQLite WAL on a slow close) only leaves a temp folder.
        }
    }
}
