using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Guichet.Privacy.Keys;

namespace Guichet.Privacy.Indexing;

/// <summary>
/// Blind indexes: HMAC-SHA256 of a normalized value under a key derived (HKDF-SHA256) per
/// entity, field and index name from the index root key, truncated (docs/privacy.md, "Index
/// planning"). The index root key is a key of its own in the key ring, never an encryption key.
/// </summary>
internal sealed class BlindIndexer(KeyRing keyRing) : IDisposable
{
    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("guichet/blind-index/v1");
    private readonly ConcurrentDictionary<(string Entity, string Field, string Index), BlindIndexKey> _keys = new();

    public ValueTask<BlindIndexKey> GetKeyAsync(string entity, string field, string index, CancellationToken cancellationToken = default) =>
        _keys.TryGetValue((entity, field, index), out var key) ? ValueTask.FromResult(key) : new ValueTask<BlindIndexKey>(DeriveAsync(entity, field, index, cancellationToken));

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    /// <summary>HKDF-SHA256(ikm: index root key, salt: "guichet/blind-index/v1", info: entity NUL field NUL index).</summary>
    internal static byte[] DeriveFieldKey(ReadOnlySpan<byte> indexRootKey, string entity, string field, string index)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, indexRootKey, key, Salt, Encoding.UTF8.GetBytes(string.Concat(entity, "\0", field, "\0", index)));
        return key;
    }

    private async Task<BlindIndexKey> DeriveAsync(string entity, string field, string index, CancellationToken cancellationToken)
    {
        var root = await keyRing.GetCurrentAsync(KeyScope.IndexRoot, cancellationToken).ConfigureAwait(false);
        var key = new BlindIndexKey(DeriveFieldKey(root.Material, entity, field, index));
        var winner = _keys.GetOrAdd((entity, field, index), key);
        if (!ReferenceEquals(winner, key))
        {
            key.Dispose();
        }

        return winner;
    }
}

/// <summary>One field's index key with an HMAC instance per thread (one-shot HMAC re-keys on every call).</summary>
internal sealed class BlindIndexKey : IDisposable
{
    private const int FourDigitValues = 10_000;
    private readonly byte[] _key;
    private readonly ThreadLocal<IncrementalHash> _hmac;

    /// <summary>
    /// Last-four indexes by their four digits, filled as they are computed: four digits have only
    /// ten thousand values, so each is computed once per process. The table tells nothing the
    /// key in this object does not, and is cleared with it.
    /// </summary>
    private byte[]?[]? _fourDigits;

    public BlindIndexKey(byte[] key)
    {
        _key = key;
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key), trackAllValues: true);
    }

    /// <summary>The first <paramref name="length"/> bytes of HMAC-SHA256(key, UTF-8(normalized)).</summary>
    public byte[] Compute(ReadOnlySpan<char> normalized, int length)
    {
        Span<byte> input = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(normalized.Length, 128))];
        if (normalized.Length > 128)
        {
            throw new ArgumentException("Indexed values are at most 128 characters.", nameof(normalized));
        }

        var written = Encoding.UTF8.GetBytes(normalized, input);
        Span<byte> mac = stackalloc byte[32];
        var hmac = _hmac.Value!;
        hmac.AppendData(input[..written]);
        hmac.GetHashAndReset(mac);
        CryptographicOperations.ZeroMemory(input);
        return mac[..length].ToArray();
    }

    /// <summary>
    /// The same value as <see cref="Compute"/> for four ASCII digits (the last-four index), from
    /// the table once computed; anything else is computed as usual.
    /// </summary>
    public byte[] ComputeFourDigits(ReadOnlySpan<char> digits, int length)
    {
        if (digits.Length != 4 || !char.IsAsciiDigit(digits[0]) || !char.IsAsciiDigit(digits[1]) || !char.IsAsciiDigit(digits[2]) || !char.IsAsciiDigit(digits[3]))
        {
            return Compute(digits, length);
        }

        var slot = ((digits[0] - '0') * 1000) + ((digits[1] - '0') * 100) + ((digits[2] - '0') * 10) + (digits[3] - '0');
        var table = Volatile.Read(ref _fourDigits);
        if (table is null)
        {
            Interlocked.CompareExchange(ref _fourDigits, new byte[FourDigitValues][], null);
            table = Volatile.Read(ref _fourDigits) ?? throw new ObjectDisposedException(nameof(BlindIndexKey));
        }

        var known = Volatile.Read(ref table[slot]);
        if (known is null || known.Length != length)
        {
            // Two threads may both compute a slot: the values are equal, either one may stay.
            known = Compute(digits, length);
            Volatile.Write(ref table[slot], known);
        }

        return (byte[])known.Clone();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _fourDigits, null) is { } table)
        {
            foreach (var value in table)
            {
                CryptographicOperations.ZeroMemory(value);
            }
        }

        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }

        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }
}
