namespace Guichet.Privacy.Keys;

/// <summary>
/// Seals small secrets (signing keys, backup keys) under the root key of the configured key
/// provider — a passphrase-sealed key file or a PKCS#11 token — so other modules can keep
/// key material at rest without handling the root key themselves.
/// </summary>
public interface ISecretSealer
{
    /// <summary>Encrypts <paramref name="secret"/>; <paramref name="purpose"/> is bound as associated data.</summary>
    byte[] Seal(ReadOnlySpan<byte> secret, string purpose);

    /// <summary>Decrypts a sealed secret; throws <see cref="System.Security.Cryptography.CryptographicException"/> if it was sealed for another purpose, another root key, or altered.</summary>
    byte[] Unseal(ReadOnlySpan<byte> sealedSecret, string purpose);
}
