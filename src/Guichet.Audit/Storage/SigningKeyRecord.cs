namespace Guichet.Audit.Storage;

/// <summary>The checkpoint signing key: public half in the clear, private half sealed by the key provider.</summary>
internal sealed class SigningKeyRecord
{
    /// <summary>First 16 bytes of SHA-256 over the SubjectPublicKeyInfo, lower-case hex.</summary>
    public string KeyId { get; set; } = "";

    public byte[] PublicKey { get; set; } = [];

    public byte[] SealedPrivateKey { get; set; } = [];

    public DateTime CreatedAt { get; set; }
}
