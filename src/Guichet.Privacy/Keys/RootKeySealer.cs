using System.Text;

namespace Guichet.Privacy.Keys;

/// <summary><see cref="ISecretSealer"/> over the configured root key (key file or PKCS#11 token).</summary>
internal sealed class RootKeySealer(RootKeyHolder rootKey) : ISecretSealer
{
    private const string ContextPrefix = "guichet/sealed-secret/v1/";

    public byte[] Seal(ReadOnlySpan<byte> secret, string purpose) => rootKey.RootKey.Wrap(secret, Context(purpose));

    public byte[] Unseal(ReadOnlySpan<byte> sealedSecret, string purpose) => rootKey.RootKey.Unwrap(sealedSecret, Context(purpose));

    private static byte[] Context(string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        return Encoding.UTF8.GetBytes(ContextPrefix + purpose);
    }
}
