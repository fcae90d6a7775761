using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Guichet.Privacy.Crypto;

/// <summary>
/// Field ciphertext, format version 1 (docs/privacy.md, "Field format"):
/// <code>
/// 0x01 ‖ key id (uint32 BE) ‖ key version (uint32 BE) ‖ nonce (12) ‖ AES-256-GCM ciphertext ‖ tag (16)
/// </code>
/// Associated data: the 9-byte header, then entity, field and row id, each as a big-endian
/// uint16 length followed by its UTF-8 bytes.
/// </summary>
internal static class FieldFormat
{
    public const byte Version1 = 0x01;
    public const int HeaderSize = 9;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = HeaderSize + NonceSize + TagSize;
    private const int StackLimit = 512;

    public static bool TryReadKey(ReadOnlySpan<byte> ciphertext, out uint keyId, out uint keyVersion)
    {
        if (ciphertext.Length < Overhead || ciphertext[0] != Version1)
        {
            keyId = 0;
            keyVersion = 0;
            return false;
        }

        keyId = BinaryPrimitives.ReadUInt32BigEndian(ciphertext[1..]);
        keyVersion = BinaryPrimitives.ReadUInt32BigEndian(ciphertext[5..]);
        return true;
    }

    /// <summary>Encrypts with a fresh random nonce.</summary>
    public static byte[] Encrypt(AesGcm aes, uint keyId, uint keyVersion, ReadOnlySpan<byte> plaintext, in FieldRef field)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        Nonces.Next(nonce);
        return Encrypt(aes, keyId, keyVersion, plaintext, field, nonce);
    }

    /// <summary>Encrypts with a given nonce: known-answer tests only; production calls draw a random one.</summary>
    public static byte[] Encrypt(AesGcm aes, uint keyId, uint keyVersion, ReadOnlySpan<byte> plaintext, in FieldRef field, ReadOnlySpan<byte> nonce)
    {
        var output = new byte[Overhead + plaintext.Length];
        output[0] = Version1;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), keyId);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), keyVersion);
        nonce.CopyTo(output.AsSpan(HeaderSize, NonceSize));

        var aadLength = AssociatedDataLength(field);
        byte[]? rented = null;
        var aad = aadLength <= StackLimit ? stackalloc byte[aadLength] : (rented = ArrayPool<byte>.Shared.Rent(aadLength)).AsSpan(0, aadLength);
        try
        {
            WriteAssociatedData(output.AsSpan(0, HeaderSize), field, aad);
            aes.Encrypt(
                output.AsSpan(HeaderSize, NonceSize),
                plaintext,
                output.AsSpan(HeaderSize + NonceSize, plaintext.Length),
                output.AsSpan(output.Length - TagSize),
                aad);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return output;
    }

    /// <summary>Decrypts into <paramref name="plaintext"/> (length: ciphertext length − <see cref="Overhead"/>).</summary>
    /// <exception cref="PersonalDataUnreadableException">Altered, or bound to another row, field or entity.</exception>
    public static void Decrypt(AesGcm aes, ReadOnlySpan<byte> ciphertext, in FieldRef field, Span<byte> plaintext)
    {
        var aadLength = AssociatedDataLength(field);
        byte[]? rented = null;
        var aad = aadLength <= StackLimit ? stackalloc byte[aadLength] : (rented = ArrayPool<byte>.Shared.Rent(aadLength)).AsSpan(0, aadLength);
        try
        {
            WriteAssociatedData(ciphertext[..HeaderSize], field, aad);
            aes.Decrypt(
                ciphertext.Slice(HeaderSize, NonceSize),
                ciphertext[(HeaderSize + NonceSize)..^TagSize],
                ciphertext[^TagSize..],
                plaintext,
                aad);
        }
        catch (CryptographicException ex)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new PersonalDataUnreadableException(UnreadableReason.IntegrityFailure, "The protected value failed its integrity check (altered, or moved from another row or field).", ex);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int AssociatedDataLength(in FieldRef field) =>
        HeaderSize + 6 + Utf8Length(field.Entity) + Utf8Length(field.Field) + Utf8Length(field.RowId);

    private static int Utf8Length(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return length > ushort.MaxValue ? throw new ArgumentException("An entity, field or row id is longer than 65535 bytes.", nameof(value)) : length;
    }

    private static void WriteAssociatedData(ReadOnlySpan<byte> header, in FieldRef field, Span<byte> destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(field.Entity);
        ArgumentException.ThrowIfNullOrEmpty(field.Field);
        ArgumentException.ThrowIfNullOrEmpty(field.RowId);
        header.CopyTo(destination);
        var offset = HeaderSize;
        offset += WritePart(field.Entity, destination[offset..]);
        offset += WritePart(field.Field, destination[offset..]);
        WritePart(field.RowId, destination[offset..]);
    }

    private static int WritePart(string value, Span<byte> destination)
    {
        var written = Encoding.UTF8.GetBytes(value, destination[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)written);
        return 2 + written;
    }
}

/// <summary>
/// Random 96-bit GCM nonces drawn from the operating system's generator a few hundred at a
/// time per thread: one generator call per field costs more than the encryption itself. Each
/// nonce is handed out once and the buffer never leaves its thread. Nonces are not secret (every
/// ciphertext stores its own in the clear); they must not repeat under a key, which random
/// 96-bit values from a CSPRNG ensure for far more fields than a key protects (NIST SP 800-38D, 8.2.2).
/// </summary>
internal static class Nonces
{
    private const int PerRefill = 256;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_next;

    public static void Next(Span<byte> nonce)
    {
        var buffer = t_buffer;
        if (buffer is null || t_next + nonce.Length > buffer.Length)
        {
            buffer = t_buffer ??= new byte[FieldFormat.NonceSize * PerRefill];
            RandomNumberGenerator.Fill(buffer);
            t_next = 0;
        }

        var taken = buffer.AsSpan(t_next, nonce.Length);
        taken.CopyTo(nonce);
        // Used once: cleared, so no later read of the buffer can hand it out again.
        taken.Clear();
        t_next += nonce.Length;
    }
}
