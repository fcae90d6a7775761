using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Guichet.Audit.Ledger;

/// <summary>
/// What a checkpoint signs: "guichet-audit-checkpoint-v1" || int64 BE sequence || 32-byte
/// chain hash || int64 BE Unix microseconds, with ECDSA P-256 over SHA-256 (FIPS 186-4),
/// signature in IEEE P1363 form (r || s, 64 bytes).
/// </summary>
internal static class CheckpointSignature
{
    public const string SealPurpose = "guichet.audit.checkpoint-signing-key.v1";
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("guichet-audit-checkpoint-v1");

    public static byte[] Message(long sequence, ReadOnlySpan<byte> hash, DateTime createdAt)
    {
        var message = new byte[Domain.Length + 8 + LedgerHash.Size + 8];
        Domain.CopyTo(message, 0);
        var span = message.AsSpan(Domain.Length);
        BinaryPrimitives.WriteInt64BigEndian(span, sequence);
        hash.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt64BigEndian(span[(8 + LedgerHash.Size)..], LedgerHash.UnixMicroseconds(createdAt));
        return message;
    }

    public static byte[] Sign(ECDsa key, long sequence, ReadOnlySpan<byte> hash, DateTime createdAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SignData(Message(sequence, hash, createdAt), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public static bool Verify(ECDsa key, long sequence, ReadOnlySpan<byte> hash, DateTime createdAt, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        return hash.Length == LedgerHash.Size
            && key.VerifyData(Message(sequence, hash, createdAt), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>First 16 bytes of SHA-256 over the SubjectPublicKeyInfo, lower-case hex.</summary>
    public static string KeyId(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo)[..16]);
}
