using System.Net;
using Guichet.Tests.Infrastructure;

namespace Guichet.Tests.Hosting;

public sealed class TransportSecurityTests
{
    [Fact]
    public async Task First_run_creates_a_private_self_signed_certificate_in_the_data_directory()
    {
        await using var server = await GuichetServer.StartAsync();

        var certificate = Path.Combine(server.DataDirectory, "tls", "localhost.pfx");
        Assert.True(File.Exists(certificate));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificate));
    }

    [Fact]
    public async Task Plain_http_only_redirects_to_https()
    {
        await using var server = await GuichetServer.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri(server.HttpAddress, "/health"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, response.Headers.Location?.Scheme);
    }

    [Fact]
    public async Task Https_answers_carry_hsts_csp_and_no_server_banner()
    {
        await using var server = await GuichetServer.StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        // HSTS is never sent to localhost/loopback names by design; ask as a real host name.
        request.Headers.Host = "guichet.example";

        using var response = await client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.StartsWith("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task The_openapi_document_is_served()
    {
        await using var server = await GuichetServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        Assert.Contains("\"openapi\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
