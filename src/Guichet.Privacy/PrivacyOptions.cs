using System.ComponentModel.DataAnnotations;

namespace Guichet.Privacy;

/// <summary>Settings of the privacy kernel, bound from the <c>Privacy</c> configuration section.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Environment variable holding the passphrase that seals the root key file.</summary>
    public const string PassphraseEnvironmentVariable = "GUICHET_KEY_PASSPHRASE";

    /// <summary>PBKDF2-SHA256 iterations for a new root key file (OWASP 2023 guidance for PBKDF2-HMAC-SHA256).</summary>
    public const int DefaultPassphraseIterations = 600_000;

    /// <summary>Where the root key comes from: a passphrase-sealed key file, or a PKCS#11 token.</summary>
    public KeyProviderKind KeyProvider { get; set; } = KeyProviderKind.File;

    /// <summary>Folder of the root key file and the key ring database; default <c>&lt;data-dir&gt;/keys</c>.</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>A file whose first line is the passphrase (used when the environment variable is not set).</summary>
    public string? PassphraseFile { get; set; }

    /// <summary>Work factor for a new sealed key file. Not lowered below the default outside tests.</summary>
    [Range(100_000, int.MaxValue)]
    public int PassphraseIterations { get; set; } = DefaultPassphraseIterations;

    /// <summary>Region used to read phone numbers written without a country code (ISO 3166 alpha-2).</summary>
    [Required]
    [RegularExpression("^[A-Z]{2}$")]
    public string DefaultPhoneRegion { get; set; } = "CN";

    public Pkcs11Options Pkcs11 { get; set; } = new();
}

public enum KeyProviderKind
{
    File,
    Pkcs11,
}

/// <summary>PKCS#11 token holding the root key (<c>Privacy:Pkcs11:*</c>).</summary>
public sealed class Pkcs11Options
{
    public string Module { get; set; } = "/usr/lib/softhsm/libsofthsm2.so";

    public string? TokenLabel { get; set; }

    /// <summary>File whose first line is the user PIN of the token.</summary>
    public string? PinFile { get; set; }

    /// <summary>Label of the AES key generated in the token on first use.</summary>
    public string KeyLabel { get; set; } = "guichet-root-key";
}
