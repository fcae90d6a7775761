using System.Security.Cryptography;
using System.Text;

namespace Guichet.Privacy.Crypto;

/// <summary>
/// One unwrapped data key version, cached by the key ring. <see cref="AesGcm"/> instances are
/// expensive to create and not safe to share between threads, so each key keeps a few spare
/// instances in slots that a caller takes and gives back atomically: one caller per instance at
/// a time, and callers beyond the slots create their own. A data subject's key keeps none.
/// </summary>
internal sealed class DataKey : IDisposable
{
    /// <summary>Spare instances per key: enough for every core of a busy host to find one.</summary>
    private static readonly int SlotCount = Math.Clamp(Environment.ProcessorCount, 1, 8);

    private readonly byte[] _material;
    private readonly AesGcm?[] _spares;
    private volatile bool _disposed;

    /// <param name="keyId">The key's id in the key ring.</param>
    /// <param name="version">The version of the key.</param>
    /// <param name="material">The unwrapped key; destroyed by <see cref="Dispose"/>.</param>
    /// <param name="keepsInstances">
    /// False for a key used for a few values and then forgotten (a data subject's): each use
    /// makes its own <see cref="AesGcm"/> and frees it at once, instead of keeping native cipher
    /// state alive for every customer whose key happens to be cached.
    /// </param>
    public DataKey(uint keyId, uint version, byte[] material, bool keepsInstances = true)
    {
        KeyId = keyId;
        Version = version;
        _material = material;
        _spares = keepsInstances ? new AesGcm?[SlotCount] : [];
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
        try
        {
            Decrypt(ciphertext, field, buffer);
            return Encoding.UTF8.GetString(buffer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Decrypts into <paramref name="plaintext"/> (length: ciphertext length − <see cref="FieldFormat.Overhead"/>); the caller zeroes it.</summary>
    /// <exception cref="PersonalDataUnreadableException">Altered, or bound to another row, field or entity.</exception>
    public void Decrypt(ReadOnlySpan<byte> ciphertext, in FieldRef field, Span<byte> plaintext)
    {
        var aes = Rent();
        try
        {
            FieldFormat.Decrypt(aes, ciphertext, field, plaintext);
        }
        finally
        {
            Return(aes);
        }
    }

    /// <summary>The raw key, for deriving blind-index keys from the index root key only.</summary>
    public ReadOnlySpan<byte> Material => _material;

    /// <summary>Destroys the key material; for keys unwrapped for one batch and not cached.</summary>
    public void Dispose()
    {
        _disposed = true;
        for (var i = 0; i < _spares.Length; i++)
        {
            Interlocked.Exchange(ref _spares[i], null)?.Dispose();
        }

        CryptographicOperations.ZeroMemory(_material);
    }

    private AesGcm Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_spares.Length == 0)
        {
            return new AesGcm(_material, FieldFormat.TagSize);
        }

        var start = Environment.CurrentManagedThreadId % _spares.Length;
        for (var i = 0; i < _spares.Length; i++)
        {
            var slot = (start + i) % _spares.Length;
            if (Volatile.Read(ref _spares[slot]) is not null && Interlocked.Exchange(ref _spares[slot], null) is { } aes)
            {
                return aes;
            }
        }

        return new AesGcm(_material, FieldFormat.TagSize);
    }

    private void Return(AesGcm aes)
    {
        if (!_disposed && _spares.Length > 0)
        {
            var start = Environment.CurrentManagedThreadId % _spares.Length;
            for (var i = 0; i < _spares.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _spares[(start + i) % _spares.Length], aes, null) is null)
                {
                    return;
                }
            }
        }

        aes.Dispose();
    }
}
