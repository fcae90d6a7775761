using System.Buffers.Binary;
using System.Security.Cryptography;
using Guichet.Identity.Data;
using Microsoft.AspNetCore.Identity;

namespace Guichet.Identity.SignIn;

/// <summary>
/// Authenticator-app codes (RFC 6238 TOTP: HMAC-SHA1, 30-second steps, 6 digits, one step of
/// clock drift either way) with two things Identity's built-in provider lacks: time comes from
/// <see cref="TimeProvider"/> so tests can move it, and a code's time step is accepted once only
/// (RFC 6238 §5.2), so a code seen over someone's shoulder cannot be replayed.
/// </summary>
internal sealed class TotpAuthenticatorProvider(TimeProvider time) : IUserTwoFactorTokenProvider<GuichetUser>
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public Task<string> GenerateAsync(string purpose, UserManager<GuichetUser> manager, GuichetUser user) =>
        Task.FromResult(string.Empty);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<GuichetUser> manager, GuichetUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<GuichetUser> manager, GuichetUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || !TryParseCode(token, out var code))
        {
            return false;
        }

        var secret = Base32.Decode(key);
        var current = TimeStep(time.GetUtcNow());
        for (var step = current - 1; step <= current + 1; step++)
        {
            if (step <= user.LastTotpTimeStep || Compute(secret, step) != code)
            {
                continue;
            }

            // Record the step before accepting: a concurrent use of the same code fails the
            // optimistic concurrency check on the user row and is refused.
            user.LastTotpTimeStep = step;
            var updated = await manager.UpdateAsync(user);
            return updated.Succeeded;
        }

        return false;
    }

    public static long TimeStep(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    public static int Compute(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; its use as a PRF is not weakened by SHA-1 collisions.
        HMACSHA1.HashData(secret, counter, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFFFFFF;
        return binary % 1_000_000;
    }

    private static bool TryParseCode(string token, out int code)
    {
        var digits = token.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        code = 0;
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) &&
            int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out code);
    }
}

/// <summary>RFC 4648 base32, the encoding of authenticator keys in otpauth URIs.</summary>
internal static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static byte[] Decode(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var clean = input.Trim().TrimEnd('=').Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var output = new byte[clean.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in clean)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("Not a base32 string.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output[index++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        return output;
    }
}
