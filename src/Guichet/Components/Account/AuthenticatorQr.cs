using System.Globalization;
using System.Text;
using QRCoder;

namespace Guichet.Components.Account;

/// <summary>The otpauth URI and its QR code (a PNG data URI: the CSP allows data: images, not inline SVG styles).</summary>
internal static class AuthenticatorQr
{
    public static string Uri(string userName, string key) => string.Format(
        CultureInfo.InvariantCulture,
        "otpauth://totp/{0}:{1}?secret={2}&issuer={0}&digits=6",
        "Guichet",
        System.Uri.EscapeDataString(userName),
        key);

    public static string PngDataUri(string content)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    public static string FormatKey(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return result.ToString().TrimEnd().ToLowerInvariant();
    }
}
