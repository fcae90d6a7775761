using System.Security.Cryptography;
using System.Text;
using Guichet.Privacy.Keys;

namespace Guichet.Audit.Tests.Infrastructure;

/// <summary>AES-256-GCM under a random in-memory key; the purpose is the associated data.</summary>
public sealed class TestSecretSealer : ISecretSealer
{
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    public byte[] Seal(ReadOnlySpan<byte> secret, string purpose)
    {
        var output = new byte[12 + secret.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(0, 12), secret, output.AsSpan(12, secret.Length), output.AsSpan(12 + secret.Length), Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    public byte[] Unseal(ReadOnlySpan<byte> sealedSecret, string purpose)
    {
        if (sealedSecret.Length < 28)
        {
            throw new CryptographicException("Sealed secret too short.");
        }

        var plaintext = new byte[sealedSecret.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedSecret[..12], sealedSecret[12..^16], sealedSecret[^16..], plaintext, Encoding.UTF8.GetBytes(purpose));
        return plaintext;
    }
}
