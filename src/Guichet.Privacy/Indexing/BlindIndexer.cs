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
    private readonly ConcurrentDictionary<string, BlindIndexKey> _keys = new(StringComparer.Ordinal);

    public ValueTask<BlindIndexKey> GetKeyAsync(string entity, string field, string index, CancellationToken cancellationToken = default)
    {
        var name = string.Concat(entity, "\0", field, "\0", index);
        return _keys.TryGetValue(name, out var key) ? ValueTask.FromResult(key) : new ValueTask<BlindIndexKey>(DeriveAsync(name, cancellationToken));
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    /// <summary>HKDF-SHA256(ikm: index root key, salt: "guichet/blind-index/v1", info: entity NUL field NUL index).</summary>
    internal static byte[] DeriveFieldKey(ReadOnlySpan<byte> indexRootKey, string entity, string field, string index) =>
        DeriveFieldKey(indexRootKey, string.Concat(entity, "\0", field, "\0", index));

    private static byte[] DeriveFieldKey(ReadOnlySpan<byte> indexRootKey, string name)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, indexRootKey, key, Salt, Encoding.UTF8.GetBytes(name));
        return key;
    }

    private async Task<BlindIndexKey> DeriveAsync(string name, CancellationToken cancellationToken)
    {
        var root = await keyRing.GetCurrentAsync(KeyScope.IndexRoot, cancellationToken).ConfigureAwait(false);
        var key = new BlindIndexKey(DeriveFieldKey(root.Material, name));
        var winner = _keys.GetOrAdd(name, key);
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
    private readonly byte[] _key;
    private readonly ThreadLocal<IncrementalHash> _hmac;

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

    public void Dispose()
    {
        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }

        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }
}
