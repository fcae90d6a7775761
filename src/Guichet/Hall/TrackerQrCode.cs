using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;

namespace Guichet.Hall;

/// <summary>
/// The QR code printed on a ticket: it encodes the ticket's tracker address
/// (<c>/t/{token}</c>), so a customer can follow the queue on their phone. It encodes
/// nothing else and reveals nothing about the ticket; the token itself is the secret.
/// </summary>
internal static class TrackerQrCode
{
    /// <summary>
    /// The address customers' phones reach Guichet at, when it differs from the address the
    /// kiosk uses (a kiosk on the hall's network, phones over the internet).
    /// </summary>
    public const string PublicBaseUrlKey = "Guichet:PublicBaseUrl";

    private const int MaxTokenLength = 128;

    // Tracker tokens are URL-safe base64 or similar: anything else is not a token.
    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static IEndpointRouteBuilder MapTrackerQrCode(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/t/{token}/qr.png", Render).ExcludeFromDescription();
        return endpoints;
    }

    private static Results<FileContentHttpResult, NotFound> Render(string token, HttpContext context, IConfiguration configuration)
    {
        if (!IsWellFormed(token))
        {
            return TypedResults.NotFound();
        }

        var baseUrl = configuration[PublicBaseUrlKey];
        var origin = string.IsNullOrWhiteSpace(baseUrl)
            ? $"{context.Request.Scheme}://{context.Request.Host}"
            : baseUrl.TrimEnd('/');
        var png = Encode($"{origin}/t/{token}");
        // The image is as secret as the link; no shared cache may keep it.
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(png, "image/png");
    }

    internal static bool IsWellFormed(string token) =>
        token.Length is > 0 and <= MaxTokenLength && !token.AsSpan().ContainsAnyExcept(TokenCharacters);

    internal static byte[] Encode(string url)
    {
        using var generator = new QRCodeGenerator();
        // Level M survives a smudged or creased paper ticket without growing the code much.
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }
}
