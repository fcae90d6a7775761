using System.Text;
using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;

namespace Guichet.PassThroughHost;

/// <summary>
/// What a system without a privacy kernel does with a phone number: keeps it as typed, and
/// finds it by its digits packed into the index column. No
/// normalization library, no encryption, no per-customer key, no keyed index.
/// </summary>
internal sealed class PassThroughProtector : IPersonalDataProtector
{
    public ValueTask<ProtectedPhone> ProtectPhoneAsync(string phone, FieldRef field, KeyScope key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new ProtectedPhone(Encoding.UTF8.GetBytes(phone), FullIndex(phone), LastFourIndex(Digits(phone))));

    public ValueTask<ProtectedValue> ProtectAsync(PersonalDataCategory category, string value, FieldRef field, KeyScope key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new ProtectedValue(Encoding.UTF8.GetBytes(value), FullIndex(value)));

    public ValueTask<byte[]> PhoneIndexAsync(string phone, string entity, string field, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(FullIndex(phone));

    public ValueTask<byte[]> PhoneLastFourIndexAsync(string lastFourDigits, string entity, string field, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(LastFourIndex(lastFourDigits));

    public ValueTask<byte[]> IndexAsync(PersonalDataCategory category, string value, string entity, string field, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(FullIndex(value));

    public ValueTask<MaskedField> MaskAsync(PersonalDataCategory category, ReadOnlyMemory<byte> ciphertext, FieldRef field, StaffRole role, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new MaskedField(FieldView.Masked, Encoding.UTF8.GetString(ciphertext.Span)));

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));

    private static byte[] FullIndex(string value)
    {
        var digits = Digits(value);
        var number = ulong.Parse(digits.Length is > 0 and <= 19 ? digits : "0", System.Globalization.CultureInfo.InvariantCulture);
        return BitConverter.GetBytes(number);
    }

    private static byte[] LastFourIndex(string digits) => Encoding.ASCII.GetBytes(digits.Length >= 4 ? digits[^4..] : digits.PadLeft(4, '0'));
}
