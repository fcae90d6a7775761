using System.Buffers.Text;
using System.Security.Cryptography;

namespace Guichet.Queueing.Domain;

/// <summary>
/// The tracker link's key: the moment it was made, in 7 characters that sort as the moments do,
/// then 128 random bits as base64url (22 characters). The random part is what makes the link
/// unguessable; the time part makes tokens made one after another sort one after another, so the
/// index that finds a ticket by its token grows at one end instead of at a random page per
/// ticket: under a rush, a random token dirtied a page of its own in every issuing batch,
/// written to the log and again at the checkpoint. Tokens of the first format (22 random
/// characters, no time part) still open their tickets.
/// </summary>
internal static class TrackerToken
{
    /// <summary>The longest token: the time part and the random part.</summary>
    public const int Length = TimeLength + RandomLength;

    /// <summary>The first format's length: the random part alone.</summary>
    public const int RandomLength = 22;

    private const int TimeLength = 7;

    // The base64url characters in ordinal order, so that a larger number is a larger string.
    private const string SortedAlphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    /// <param name="now">When the ticket is issued: milliseconds since 1970 in 42 bits, which last until 2109.</param>
    public static string Create(DateTimeOffset now) =>
        string.Create(Length, now.ToUnixTimeMilliseconds(), static (token, milliseconds) =>
        {
            for (var i = TimeLength - 1; i >= 0; i--)
            {
                token[i] = SortedAlphabet[(int)(milliseconds & 63)];
                milliseconds >>= 6;
            }

            Span<byte> random = stackalloc byte[16];
            RandomNumberGenerator.Fill(random);
            Base64Url.EncodeToChars(random, token[TimeLength..]);
        });

    public static bool IsWellFormed(string? token) =>
        token is { Length: Length or RandomLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
