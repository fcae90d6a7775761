namespace Guichet.Audit.Storage;

/// <summary>A signed statement "the chain's hash at <see cref="Sequence"/> was <see cref="Hash"/>".</summary>
internal sealed class CheckpointRecord
{
    public long Sequence { get; set; }

    public byte[] Hash { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public string KeyId { get; set; } = "";

    /// <summary>ECDSA P-256 over SHA-256, IEEE P1363 (r || s), 64 bytes.</summary>
    public byte[] Signature { get; set; } = [];
}
