using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Guichet.Privacy.Keys;

/// <summary>
/// The default root key: 32 random bytes in <c>&lt;key-dir&gt;/root-key.json</c> (mode 0600, in a
/// 0700 folder, never inside the database), optionally sealed by a passphrase with
/// PBKDF2-SHA256 and AES-256-GCM.
/// </summary>
internal sealed class FileRootKey : IRootKey
{
    public const string FileName = "root-key.json";
    private const string Format = "guichet-root-key/1";
    private const int KeySize = 32;
    private const int SaltSize = 16;
    private static readonly byte[] SealContext = Encoding.ASCII.GetBytes(Format);
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly byte[] _key;

    private FileRootKey(byte[] key, bool sealedByPassphrase)
    {
        _key = key;
        IsUnsealedFile = !sealedByPassphrase;
    }

    public string Description => IsUnsealedFile ? "key file (not sealed: no passphrase)" : "key file (sealed by passphrase)";

    public bool IsUnsealedFile { get; }

    /// <summary>Opens the key file, creating it (and sealing it when a passphrase is given) on first run.</summary>
    public static FileRootKey OpenOrCreate(string directory, string? passphrase, int iterations, out bool created)
    {
        var path = Path.Combine(directory, FileName);
        created = false;
        if (!File.Exists(path))
        {
            CreatePrivateDirectory(directory);
            var key = RandomNumberGenerator.GetBytes(KeySize);
            try
            {
                WriteNew(path, Describe(key, passphrase, iterations));
                created = true;
                return new FileRootKey(key, passphrase is not null);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; fall through and open theirs.
                CryptographicOperations.ZeroMemory(key);
            }
        }

        return Open(path, passphrase, iterations);
    }

    private static FileRootKey Open(string path, string? passphrase, int iterations)
    {
        CheckPermissions(path);
        RootKeyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<RootKeyFile>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException ex)
        {
            throw new KeyProviderException($"The root key file {path} is not a Guichet key file (unreadable JSON).", ex);
        }

        if (file is null || file.Format != Format)
        {
            throw new KeyProviderException($"The root key file {path} is not a Guichet key file (expected format {Format}).");
        }

        if (file.Key is not null)
        {
            var key = Decode(file.Key, path);
            if (passphrase is not null)
            {
                // A passphrase given for an unsealed file seals it in place from now on.
                Replace(path, Describe(key, passphrase, iterations));
                return new FileRootKey(key, sealedByPassphrase: true);
            }

            return new FileRootKey(key, sealedByPassphrase: false);
        }

        if (file.Sealed is null || file.Salt is null || file.Iterations is not > 0)
        {
            throw new KeyProviderException($"The root key file {path} is incomplete (no key and no sealed key).");
        }

        if (passphrase is null)
        {
            throw new KeyProviderException($"The root key file {path} is sealed by a passphrase: set {PrivacyOptions.PassphraseEnvironmentVariable} or Privacy:PassphraseFile.");
        }

        var wrappingKey = DeriveWrappingKey(passphrase, Decode(file.Salt, path), file.Iterations.Value);
        try
        {
            return new FileRootKey(AesGcmWrap.Open(wrappingKey, Decode(file.Sealed, path), SealContext), sealedByPassphrase: true);
        }
        catch (CryptographicException ex)
        {
            throw new KeyProviderException($"The key passphrase is wrong: the root key file {path} could not be unsealed with it.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrappingKey);
        }
    }

    public byte[] Wrap(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> context) => AesGcmWrap.Seal(_key, secret, context);

    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context) => AesGcmWrap.Open(_key, wrapped, context);

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private static RootKeyFile Describe(byte[] key, string? passphrase, int iterations)
    {
        if (passphrase is null)
        {
            return new RootKeyFile(Format, "none", null, null, null, Convert.ToBase64String(key));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var wrappingKey = DeriveWrappingKey(passphrase, salt, iterations);
        try
        {
            var sealedKey = AesGcmWrap.Seal(wrappingKey, key, SealContext);
            return new RootKeyFile(Format, "pbkdf2-sha256+aes-256-gcm", iterations, Convert.ToBase64String(salt), Convert.ToBase64String(sealedKey), null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrappingKey);
        }
    }

    private static byte[] DeriveWrappingKey(string passphrase, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, KeySize);

    private static byte[] Decode(string base64, string path)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new KeyProviderException($"The root key file {path} is damaged (invalid base64).", ex);
        }
    }

    private static void WriteNew(string path, RootKeyFile content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        JsonSerializer.Serialize(stream, content, Json);
        stream.Flush(flushToDisk: true);
    }

    private static void Replace(string path, RootKeyFile content)
    {
        var temporary = path + ".new";
        File.Delete(temporary);
        WriteNew(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void CheckPermissions(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((File.GetUnixFileMode(path) & others) != 0)
        {
            throw new KeyProviderException($"The root key file {path} is accessible to other users; run: chmod 600 {path}");
        }
    }

    private sealed record RootKeyFile(
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("protection")] string Protection,
        [property: JsonPropertyName("iterations")] int? Iterations,
        [property: JsonPropertyName("salt")] string? Salt,
        [property: JsonPropertyName("sealed")] string? Sealed,
        [property: JsonPropertyName("key")] string? Key);
}
