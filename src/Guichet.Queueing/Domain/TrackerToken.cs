using System.Buffers.Text;
using System.Security.Cryptography;

namespace Guichet.Queueing.Domain;

/// <summary>The tracker link's key: 128 random bits as base64url (22 characters).</summary>
internal static class TrackerToken
{
    public const int Length = 22;

    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
