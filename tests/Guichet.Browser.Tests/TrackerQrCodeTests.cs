using System.Net;
using Guichet.Browser.Tests.Infrastructure;
using Guichet.Hall;

namespace Guichet.Browser.Tests;

public sealed class TrackerQrCodeTests
{
    [Fact]
    public async Task Qr_code_encodes_the_tracker_address_of_the_ticket()
    {
        await using var server = await HallServer.StartAsync(demo: false);
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/t/AbC-123_xyz/qr.png", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var expected = TrackerQrCode.Encode(new Uri(client.BaseAddress!, "/t/AbC-123_xyz").ToString());
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Qr_code_uses_the_configured_public_address()
    {
        await using var server = await HallServer.StartAsync(
            demo: false,
            configure: builder => builder.Configuration[TrackerQrCode.PublicBaseUrlKey] = "https://queue.example.org/");
        using var client = server.CreateClient();

        var png = await client.GetByteArrayAsync(new Uri("/t/token123/qr.png", UriKind.Relative));

        Assert.Equal(TrackerQrCode.Encode("https://queue.example.org/t/token123"), png);
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("angle%3Cscript%3E")]
    [InlineData("dots..dots")]
    public async Task Qr_code_refuses_what_is_not_a_token(string token)
    {
        await using var server = await HallServer.StartAsync(demo: false);
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri($"/t/{token}/qr.png", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
