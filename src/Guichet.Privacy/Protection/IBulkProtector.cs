using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Indexing;
using Guichet.Privacy.Keys;
using Microsoft.Extensions.Options;

namespace Guichet.Privacy.Protection;

/// <summary>
/// Bulk import of new data subjects: their keys are created in one key-ring transaction per
/// batch, and values are protected under them exactly as <see cref="IPersonalDataProtector"/>
/// would (same format, same indexes), without a key-ring round trip per subject.
/// </summary>
public interface IBulkProtector
{
    /// <summary>Creates a key for each new subject; the batch protects values under those keys only.</summary>
    Task<ISubjectBatch> CreateSubjectsAsync(IReadOnlyList<string> subjectIds, CancellationToken cancellationToken = default);
}

/// <summary>Protects values of the subjects of one batch. Not thread-safe; use one batch per thread.</summary>
public interface ISubjectBatch
{
    /// <exception cref="InvalidPersonalDataException">Not a valid phone number.</exception>
    ValueTask<ProtectedPhone> ProtectPhoneAsync(string subjectId, string phone, FieldRef field, CancellationToken cancellationToken = default);

    /// <summary>Normalizes by category and encrypts; an index when the category has one (resident ID, e-mail).</summary>
    ValueTask<ProtectedValue> ProtectAsync(string subjectId, PersonalDataCategory category, string value, FieldRef field, CancellationToken cancellationToken = default);
}

internal sealed class BulkProtector(KeyRing keyRing, BlindIndexer indexer, PersonalDataProtector protector, IOptions<PrivacyOptions> options) : IBulkProtector
{
    public async Task<ISubjectBatch> CreateSubjectsAsync(IReadOnlyList<string> subjectIds, CancellationToken cancellationToken = default)
    {
        var keys = await keyRing.CreateSubjectKeysAsync(subjectIds, cancellationToken).ConfigureAwait(false);
        return new SubjectBatch(keys, indexer, protector, options.Value.DefaultPhoneRegion);
    }

    private sealed class SubjectBatch(IReadOnlyDictionary<string, DataKey> keys, BlindIndexer indexer, PersonalDataProtector protector, string region) : ISubjectBatch
    {
        public async ValueTask<ProtectedPhone> ProtectPhoneAsync(string subjectId, string phone, FieldRef field, CancellationToken cancellationToken = default)
        {
            var e164 = Phones.ToE164(phone, region);
            var indexKeys = await protector.GetPhoneIndexKeysAsync(field.Entity, field.Field, cancellationToken).ConfigureAwait(false);
            return PersonalDataProtector.ProtectPhone(e164, field, Key(subjectId), indexKeys);
        }

        public async ValueTask<ProtectedValue> ProtectAsync(string subjectId, PersonalDataCategory category, string value, FieldRef field, CancellationToken cancellationToken = default)
        {
            if (category == PersonalDataCategory.Phone)
            {
                var phone = await ProtectPhoneAsync(subjectId, value, field, cancellationToken).ConfigureAwait(false);
                return new ProtectedValue(phone.Ciphertext, phone.FullIndex);
            }

            var normalized = protector.NormalizeForStorage(category, value);
            byte[]? index = null;
            if (PersonalDataProtector.HasIndex(category))
            {
                var indexKey = await indexer.GetKeyAsync(field.Entity, field.Field, PhoneIndexes.Full, cancellationToken).ConfigureAwait(false);
                index = indexKey.Compute(normalized, PersonalDataProtector.DefaultIndexLength);
            }

            return new ProtectedValue(Key(subjectId).EncryptString(normalized, field), index);
        }

        private DataKey Key(string subjectId) =>
            keys.TryGetValue(subjectId, out var key) ? key : throw new ArgumentException("That subject is not part of this batch.", nameof(subjectId));
    }
}
