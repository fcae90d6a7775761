using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Indexing;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Masking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guichet.Privacy.Protection;

internal sealed class PersonalDataProtector(KeyRing keyRing, BlindIndexer indexer, IOptions<PrivacyOptions> options, ILogger<PersonalDataProtector> logger)
    : IPersonalDataProtector
{
    internal const int DefaultIndexLength = 8;
    private readonly string _region = options.Value.DefaultPhoneRegion;

    /// <summary>The index keys of the phone field protected last: a host protects one or two phone fields.</summary>
    private PhoneIndexKeys? _phoneIndexKeys;

    public ValueTask<ProtectedPhone> ProtectPhoneAsync(string phone, FieldRef field, KeyScope key, CancellationToken cancellationToken = default)
    {
        try
        {
            var e164 = Phones.ToE164(phone, _region);

            // Keys already unwrapped and derived (every call but the first on a running host): no
            // asynchronous machinery on the path a ticket or a registration takes.
            return keyRing.TryGetCurrentCached(key, out var dataKey) && TryGetPhoneIndexKeys(field, out var indexKeys)
                ? ValueTask.FromResult(ProtectPhone(e164, field, dataKey, indexKeys))
                : ProtectPhoneSlowAsync(e164, field, key, cancellationToken);
        }
        catch (InvalidPersonalDataException ex)
        {
            return ValueTask.FromException<ProtectedPhone>(ex);
        }
    }

    /// <summary>Encrypts an E.164 number and computes its two blind indexes (also the bulk import's path).</summary>
    internal static ProtectedPhone ProtectPhone(string e164, in FieldRef field, DataKey dataKey, PhoneIndexKeys indexKeys) =>
        new(
            dataKey.EncryptString(e164, field),
            indexKeys.Full.Compute(e164, PhoneIndexes.FullLength),
            indexKeys.LastFour.ComputeFourDigits(e164.AsSpan(e164.Length - 4), PhoneIndexes.LastFourLength));

    /// <summary>The full-number and last-four index keys of a phone field.</summary>
    internal async ValueTask<PhoneIndexKeys> GetPhoneIndexKeysAsync(string entity, string field, CancellationToken cancellationToken)
    {
        var cached = Volatile.Read(ref _phoneIndexKeys);
        if (cached is not null && string.Equals(cached.Entity, entity, StringComparison.Ordinal) && string.Equals(cached.Field, field, StringComparison.Ordinal))
        {
            return cached;
        }

        var full = await indexer.GetKeyAsync(entity, field, PhoneIndexes.Full, cancellationToken).ConfigureAwait(false);
        var lastFour = await indexer.GetKeyAsync(entity, field, PhoneIndexes.LastFour, cancellationToken).ConfigureAwait(false);
        var keys = new PhoneIndexKeys(entity, field, full, lastFour);
        Volatile.Write(ref _phoneIndexKeys, keys);
        return keys;
    }

    private bool TryGetPhoneIndexKeys(in FieldRef field, [NotNullWhen(true)] out PhoneIndexKeys? keys)
    {
        keys = Volatile.Read(ref _phoneIndexKeys);
        return keys is not null && string.Equals(keys.Entity, field.Entity, StringComparison.Ordinal) && string.Equals(keys.Field, field.Field, StringComparison.Ordinal);
    }

    private async ValueTask<ProtectedPhone> ProtectPhoneSlowAsync(string e164, FieldRef field, KeyScope key, CancellationToken cancellationToken)
    {
        var dataKey = await keyRing.GetCurrentAsync(key, cancellationToken).ConfigureAwait(false);
        var indexKeys = await GetPhoneIndexKeysAsync(field.Entity, field.Field, cancellationToken).ConfigureAwait(false);
        return ProtectPhone(e164, field, dataKey, indexKeys);
    }

    public async ValueTask<ProtectedValue> ProtectAsync(PersonalDataCategory category, string value, FieldRef field, KeyScope key, CancellationToken cancellationToken = default)
    {
        if (category == PersonalDataCategory.Phone)
        {
            var phone = await ProtectPhoneAsync(value, field, key, cancellationToken).ConfigureAwait(false);
            return new ProtectedValue(phone.Ciphertext, phone.FullIndex);
        }

        var normalized = Normalize(category, value);
        var dataKey = await keyRing.GetCurrentAsync(key, cancellationToken).ConfigureAwait(false);
        byte[]? index = null;
        if (HasIndex(category))
        {
            var indexKey = await indexer.GetKeyAsync(field.Entity, field.Field, PhoneIndexes.Full, cancellationToken).ConfigureAwait(false);
            index = indexKey.Compute(normalized, DefaultIndexLength);
        }

        return new ProtectedValue(dataKey.EncryptString(normalized, field), index);
    }

    public async ValueTask<byte[]> PhoneIndexAsync(string phone, string entity, string field, CancellationToken cancellationToken = default)
    {
        var e164 = Phones.ToE164(phone, _region);
        var key = await indexer.GetKeyAsync(entity, field, PhoneIndexes.Full, cancellationToken).ConfigureAwait(false);
        return key.Compute(e164, PhoneIndexes.FullLength);
    }

    public async ValueTask<byte[]> PhoneLastFourIndexAsync(string lastFourDigits, string entity, string field, CancellationToken cancellationToken = default)
    {
        var digits = Phones.LastFour(lastFourDigits);
        var key = await indexer.GetKeyAsync(entity, field, PhoneIndexes.LastFour, cancellationToken).ConfigureAwait(false);
        return key.ComputeFourDigits(digits, PhoneIndexes.LastFourLength);
    }

    public async ValueTask<byte[]> IndexAsync(PersonalDataCategory category, string value, string entity, string field, CancellationToken cancellationToken = default)
    {
        if (category == PersonalDataCategory.Phone)
        {
            return await PhoneIndexAsync(value, entity, field, cancellationToken).ConfigureAwait(false);
        }

        if (!HasIndex(category))
        {
            throw new ArgumentOutOfRangeException(nameof(category), category, "This category has no blind index.");
        }

        var key = await indexer.GetKeyAsync(entity, field, PhoneIndexes.Full, cancellationToken).ConfigureAwait(false);
        return key.Compute(Normalize(category, value), DefaultIndexLength);
    }

    public async ValueTask<MaskedField> MaskAsync(PersonalDataCategory category, ReadOnlyMemory<byte> ciphertext, FieldRef field, StaffRole role, CancellationToken cancellationToken = default)
    {
        if (PersonalDataPolicy.For(role, category) == FieldAccess.None)
        {
            return MaskedField.Hidden;
        }

        var (plaintext, unreadable) = await TryUnprotectAsync(ciphertext, field, cancellationToken).ConfigureAwait(false);
        return plaintext is null
            ? new MaskedField(unreadable == UnreadableReason.Erased ? FieldView.Erased : FieldView.Unreadable, null)
            : new MaskedField(FieldView.Masked, Masks.Mask(category, plaintext, _region));
    }

    /// <summary>Decrypts for the kernel's own use (masking, reveal, rewrap).</summary>
    /// <exception cref="PersonalDataUnreadableException">Altered, moved, erased, or unknown key.</exception>
    internal async ValueTask<string> UnprotectAsync(ReadOnlyMemory<byte> ciphertext, FieldRef field, CancellationToken cancellationToken)
    {
        if (!FieldFormat.TryReadKey(ciphertext.Span, out var keyId, out var version))
        {
            throw new PersonalDataUnreadableException(UnreadableReason.UnknownFormat, "The protected value is not in a known format.");
        }

        var key = await keyRing.GetAsync(keyId, version, cancellationToken).ConfigureAwait(false);
        return key.DecryptString(ciphertext.Span, field);
    }

    /// <summary>Decrypts, or logs a security event and says why not; never throws for bad ciphertext.</summary>
    internal async ValueTask<(string? Plaintext, UnreadableReason Reason)> TryUnprotectAsync(ReadOnlyMemory<byte> ciphertext, FieldRef field, CancellationToken cancellationToken)
    {
        try
        {
            return (await UnprotectAsync(ciphertext, field, cancellationToken).ConfigureAwait(false), default);
        }
        catch (PersonalDataUnreadableException ex)
        {
            if (ex.Reason != UnreadableReason.Erased)
            {
                Log.FieldUnreadable(logger, field.Entity, field.Field, field.RowId, ex.Reason);
            }

            return (null, ex.Reason);
        }
    }

    internal string Region => _region;

    internal string NormalizeForStorage(PersonalDataCategory category, string value) => Normalize(category, value);

    private string Normalize(PersonalDataCategory category, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return category switch
        {
            PersonalDataCategory.Phone => Phones.ToE164(value, _region),
            PersonalDataCategory.NationalId => ResidentIdNumbers.Normalize(value),
            PersonalDataCategory.Email => NormalizeEmail(value),
            _ => value.Trim().Normalize(NormalizationForm.FormC),
        };
    }

    private static string NormalizeEmail(string value)
    {
        var trimmed = value.Trim();
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1 || trimmed.Length > 254)
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.Email, "The e-mail address needs a name, an @ and a domain.");
        }

        return trimmed.ToLower(CultureInfo.InvariantCulture);
    }

    internal static bool HasIndex(PersonalDataCategory category) =>
        category is PersonalDataCategory.NationalId or PersonalDataCategory.Email;
}

/// <summary>A phone field's two index keys, with the entity and field they belong to.</summary>
internal sealed record PhoneIndexKeys(string Entity, string Field, BlindIndexKey Full, BlindIndexKey LastFour);
