using System.Security.Cryptography;
using System.Text;

namespace Guichet.Privacy.Crypto;

/// <summary>
/// One unwrapped data key version, cached by the key ring. <see cref="AesGcm"/> instances are
/// expensive to create and not safe to share between threads, so each key keeps one spare
/// instance that a caller takes and gives back; a concurrent caller creates its own.
/// </summary>
internal sealed class DataKey
{
    private readonly byte[] _material;
    private AesGcm? _spare;

    public DataKey(uint keyId, uint version, byte[] material)
    {
        KeyId = keyId;
        Version = version;
        _material = material;
    }

    public uint KeyId { get; }

    public uint Version { get; }

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, in FieldRef field)
    {
        var aes = Rent();
        try
        {
            return FieldFormat.Encrypt(aes, KeyId, Version, plaintext, field);
        }
        finally
        {
            Return(aes);
        }
    }

    public byte[] EncryptString(string plaintext, in FieldRef field)
    {
        var length = Encoding.UTF8.GetByteCount(plaintext);
        Span<byte> buffer = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(plaintext, buffer);
        try
        {
            return Encrypt(buffer, field);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    public string DecryptString(ReadOnlySpan<byte> ciphertext, in FieldRef field)
    {
        var length = ciphertext.Length - FieldFormat.Overhead;
        Span<byte> buffer = length <= 256 ? stackalloc byte[length] : new byte[length];
        var aes = Rent();
        try
        {
            FieldFormat.Decrypt(aes, ciphertext, field, buffer);
            return Encoding.UTF8.GetString(buffer);
        }
        finally
        {
            Return(aes);
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>The raw key, for deriving blind-index keys from the index root key only.</summary>
    public ReadOnlySpan<byte> Material => _material;

    private AesGcm Rent() => Interlocked.Exchange(ref _spare, null) ?? new AesGcm(_material, FieldFormat.TagSize);

    private void Return(AesGcm aes)
    {
        if (Interlocked.CompareExchange(ref _spare, aes, null) is not null)
        {
            aes.Dispose();
        }
    }
}
