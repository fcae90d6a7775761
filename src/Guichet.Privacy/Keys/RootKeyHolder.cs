using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guichet.Privacy.Keys;

/// <summary>Opens the configured root key once, on first use, and keeps it for the process.</summary>
internal sealed class RootKeyHolder : IDisposable
{
    private readonly Lazy<IRootKey> _rootKey;

    public RootKeyHolder(IOptions<PrivacyOptions> options, KeyStorePaths paths, ILogger<RootKeyHolder> logger)
    {
        _rootKey = new Lazy<IRootKey>(() => OpenRootKey(options.Value, paths, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    internal RootKeyHolder(IRootKey rootKey)
    {
        _rootKey = new Lazy<IRootKey>(rootKey);
    }

    public IRootKey RootKey => _rootKey.Value;

    public void Dispose()
    {
        if (_rootKey.IsValueCreated)
        {
            _rootKey.Value.Dispose();
        }
    }

    private static IRootKey OpenRootKey(PrivacyOptions options, KeyStorePaths paths, ILogger logger)
    {
        if (options.KeyProvider == KeyProviderKind.Pkcs11)
        {
            var pkcs11 = options.Pkcs11;
            if (string.IsNullOrWhiteSpace(pkcs11.TokenLabel))
            {
                throw new KeyProviderException("Privacy:Pkcs11:TokenLabel is required when Privacy:KeyProvider is Pkcs11.");
            }

            var pin = ReadFirstLine(pkcs11.PinFile, "Privacy:Pkcs11:PinFile", "PIN")
                ?? throw new KeyProviderException("Privacy:Pkcs11:PinFile is required when Privacy:KeyProvider is Pkcs11.");
            var token = Pkcs11RootKey.Open(pkcs11.Module, pkcs11.TokenLabel, pin, pkcs11.KeyLabel);
            Log.RootKeyOpened(logger, token.Description);
            return token;
        }

        var passphrase = Environment.GetEnvironmentVariable(PrivacyOptions.PassphraseEnvironmentVariable);
        if (string.IsNullOrEmpty(passphrase))
        {
            passphrase = ReadFirstLine(options.PassphraseFile, "Privacy:PassphraseFile", "passphrase");
        }

        var file = FileRootKey.OpenOrCreate(paths.KeyDirectory, passphrase, options.PassphraseIterations, out var created);
        if (created)
        {
            Log.RootKeyCreated(logger, paths.KeyDirectory);
        }

        Log.RootKeyOpened(logger, file.Description);
        return file;
    }

    private static string? ReadFirstLine(string? path, string setting, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new KeyProviderException($"The {what} file {path} given by {setting} does not exist.");
        }

        var line = File.ReadLines(path).FirstOrDefault()?.TrimEnd('\r');
        return string.IsNullOrEmpty(line)
            ? throw new KeyProviderException($"The {what} file {path} given by {setting} is empty.")
            : line;
    }
}
