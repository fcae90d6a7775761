using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Guichet.Audit.Storage;

namespace Guichet.Audit.Ledger;

/// <summary>
/// The canonical encoding of an entry and the hash chain over it (docs/audit.md, "Canonical
/// encoding"): hash(n) = SHA-256(hash(n-1) || encode(entry n)), hash(0) = 32 zero bytes.
/// </summary>
internal static class LedgerHash
{
    public const int Size = 32;
    public const byte FormatVersion = 1;
    private const uint NullLength = uint.MaxValue;

    public static byte[] Genesis => new byte[Size];

    /// <summary>Truncates to whole microseconds: both providers store that precision exactly.</summary>
    public static DateTime ToLedgerTime(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % 10), DateTimeKind.Utc);

    public static long UnixMicroseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    public static byte[] Encode(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(entry, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Compute(ReadOnlySpan<byte> previousHash, LedgerEntry entry)
    {
        var hash = new byte[Size];
        Compute(previousHash, entry, hash, new ArrayBufferWriter<byte>(256));
        return hash;
    }

    /// <summary>Allocation-light form for the verifier: <paramref name="scratch"/> is reused between entries.</summary>
    public static void Compute(ReadOnlySpan<byte> previousHash, LedgerEntry entry, Span<byte> destination, ArrayBufferWriter<byte> scratch)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(scratch);
        if (previousHash.Length != Size)
        {
            throw new ArgumentException("A ledger hash is 32 bytes.", nameof(previousHash));
        }

        scratch.ResetWrittenCount();
        scratch.Write(previousHash);
        Encode(entry, scratch);
        SHA256.HashData(scratch.WrittenSpan, destination);
    }

    private static void Encode(LedgerEntry entry, ArrayBufferWriter<byte> output)
    {
        var head = output.GetSpan(17);
        head[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(head[1..], entry.Sequence);
        BinaryPrimitives.WriteInt64BigEndian(head[9..], UnixMicroseconds(entry.OccurredAt));
        output.Advance(17);
        WriteField(output, entry.ActorKind);
        WriteField(output, entry.ActorId);
        WriteField(output, entry.Action);
        WriteField(output, entry.ResourceType);
        WriteField(output, entry.ResourceId);
        WriteField(output, entry.Purpose);
        WriteField(output, entry.Outcome);
        WriteField(output, entry.ClientAddress);
        WriteField(output, entry.CorrelationId);
        WriteField(output, entry.BranchId);
    }

    private static void WriteField(ArrayBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), NullLength);
            output.Advance(4);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        var span = output.GetSpan(4 + length);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        Encoding.UTF8.GetBytes(value, span[4..]);
        output.Advance(4 + length);
    }
}
