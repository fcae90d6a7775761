using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;

namespace Guichet.Privacy.Protection;

/// <summary>
/// The one way modules store and show personal data: normalize, encrypt (bound to its row),
/// compute blind indexes; show masks computed at read time. Full values leave the kernel only
/// through <see cref="IRevealService"/>.
/// </summary>
public interface IPersonalDataProtector
{
    /// <summary>Normalizes to E.164, encrypts, and computes the full and last-four blind indexes.</summary>
    /// <exception cref="Indexing.InvalidPersonalDataException">Not a valid phone number.</exception>
    /// <exception cref="PersonalDataUnreadableException">The subject was erased.</exception>
    ValueTask<ProtectedPhone> ProtectPhoneAsync(string phone, FieldRef field, KeyScope key, CancellationToken cancellationToken = default);

    /// <summary>Normalizes by category and encrypts; a blind index for resident ID numbers and e-mail addresses.</summary>
    ValueTask<ProtectedValue> ProtectAsync(PersonalDataCategory category, string value, FieldRef field, KeyScope key, CancellationToken cancellationToken = default);

    /// <summary>The index to search a phone column by full number (any input format).</summary>
    ValueTask<byte[]> PhoneIndexAsync(string phone, string entity, string field, CancellationToken cancellationToken = default);

    /// <summary>The index to search a phone column by its last four digits.</summary>
    ValueTask<byte[]> PhoneLastFourIndexAsync(string lastFourDigits, string entity, string field, CancellationToken cancellationToken = default);

    /// <summary>The index to search a resident-ID or e-mail column by full value.</summary>
    ValueTask<byte[]> IndexAsync(PersonalDataCategory category, string value, string entity, string field, CancellationToken cancellationToken = default);

    /// <summary>What <paramref name="role"/> may see of the value: its mask, or nothing (policy), or why it cannot be read.</summary>
    ValueTask<MaskedField> MaskAsync(PersonalDataCategory category, ReadOnlyMemory<byte> ciphertext, FieldRef field, StaffRole role, CancellationToken cancellationToken = default);
}

/// <summary>Index names and lengths (docs/privacy.md, "Index planning").</summary>
public static class PhoneIndexes
{
    public const string Full = "full";
    public const string LastFour = "last4";

    /// <summary>64 bits: exact among any realistic number of rows (no decryption to filter).</summary>
    public const int FullLength = 8;

    /// <summary>32 bits over 10⁴ possible values: exact, so a search decrypts no non-matching row.</summary>
    public const int LastFourLength = 4;
}

/// <summary>A phone number as stored: ciphertext plus its two blind indexes.</summary>
public sealed record ProtectedPhone(byte[] Ciphertext, byte[] FullIndex, byte[] LastFourIndex);

/// <summary>A protected value as stored; <see cref="Index"/> is null for categories without one.</summary>
public sealed record ProtectedValue(byte[] Ciphertext, byte[]? Index);

public enum FieldView
{
    /// <summary>The role sees nothing of this field.</summary>
    Hidden,

    /// <summary><see cref="MaskedField.Text"/> holds the mask.</summary>
    Masked,

    /// <summary>The data subject was erased.</summary>
    Erased,

    /// <summary>The value failed its integrity check or its key is unknown (logged as a security event).</summary>
    Unreadable,
}

/// <summary>A field as shown to staff.</summary>
public readonly record struct MaskedField(FieldView View, string? Text)
{
    public static MaskedField Hidden { get; } = new(FieldView.Hidden, null);
}
