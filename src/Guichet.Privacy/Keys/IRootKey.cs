namespace Guichet.Privacy.Keys;

/// <summary>
/// The key-encryption key (KEK). Data keys, the blind-index root key and other modules'
/// sealed secrets are wrapped by it; it never leaves its provider (a sealed key file, or a
/// PKCS#11 token where it is non-extractable).
/// </summary>
internal interface IRootKey : IDisposable
{
    /// <summary>Short description for status output, e.g. "key file (sealed by passphrase)".</summary>
    string Description { get; }

    /// <summary>True when the key material is on disk without a passphrase.</summary>
    bool IsUnsealedFile { get; }

    byte[] Wrap(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> context);

    /// <exception cref="System.Security.Cryptography.CryptographicException">Altered, or wrapped by another root key or for another context.</exception>
    byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context);
}
