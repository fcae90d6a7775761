using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Guichet.Identity.Accounts;

/// <summary>
/// High-entropy one-time secrets (enrolment links, device codes and credentials, API keys).
/// 256 random bits need no slow hash: the server keeps SHA-256 of the secret and compares the
/// hash of what it is given in fixed time.
/// </summary>
internal static class Secrets
{
    public static string New(int bytes = 32) => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(bytes));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);
}
