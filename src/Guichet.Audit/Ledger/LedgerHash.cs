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

    /// <summary>Writes the canonical encoding of <paramref name="entry"/>.</summary>
    public static void Encode(LedgerEntry entry, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(entry);
        WriteHead(output, entry.Sequence, UnixMicroseconds(entry.OccurredAt));
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

    /// <summary>
    /// The fixed head of the encoding: format version, sequence and time. The ten text fields
    /// follow in the order of <see cref="Encode(LedgerEntry, IBufferWriter{byte})"/>.
    /// </summary>
    public static void WriteHead(IBufferWriter<byte> output, long sequence, long unixMicroseconds)
    {
        ArgumentNullException.ThrowIfNull(output);
        var head = output.GetSpan(17);
        head[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(head[1..], sequence);
        BinaryPrimitives.WriteInt64BigEndian(head[9..], unixMicroseconds);
        output.Advance(17);
    }

    /// <summary>A text field already in UTF-8: 32-bit big-endian length, then the bytes.</summary>
    public static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(4 + utf8.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)utf8.Length);
        utf8.CopyTo(span[4..]);
        output.Advance(4 + utf8.Length);
    }

    /// <summary>An absent field: a length of 0xFFFFFFFF, so it differs from an empty one.</summary>
    public static void WriteNullField(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), NullLength);
        output.Advance(4);
    }

    private static void WriteField(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteNullField(output);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        var span = output.GetSpan(4 + length);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        Encoding.UTF8.GetBytes(value, span[4..]);
        output.Advance(4 + length);
    }
}
