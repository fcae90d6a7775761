using Guichet.Privacy.Classification;
using PhoneNumbers;

namespace Guichet.Privacy.Indexing;

/// <summary>Phone numbers in their one canonical form, E.164 (<c>+8613800138000</c>), via libphonenumber.</summary>
public static class Phones
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <param name="raw">As typed: spaces, dashes, a national prefix or a +country code.</param>
    /// <param name="defaultRegion">Region for numbers written without a country code (Privacy:DefaultPhoneRegion).</param>
    /// <exception cref="InvalidPersonalDataException">Not a valid number.</exception>
    public static string ToE164(string raw, string defaultRegion)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 40)
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.Phone, "The phone number is empty or too long.");
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(raw, defaultRegion);
        }
        catch (NumberParseException ex)
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.Phone, "The phone number could not be read: use digits, optionally starting with + and the country code.", ex);
        }

        if (!Util.IsValidNumber(number))
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.Phone, $"The phone number is not a valid number (numbers without a country code are read as {defaultRegion}).");
        }

        return Util.Format(number, PhoneNumberFormat.E164);
    }

    /// <summary>The last four digits of a normalized (E.164) number, or of four typed digits.</summary>
    /// <exception cref="InvalidPersonalDataException">Fewer than four digits.</exception>
    public static string LastFour(string e164OrDigits)
    {
        ArgumentNullException.ThrowIfNull(e164OrDigits);
        var trimmed = e164OrDigits.Trim();
        if (trimmed.Length < 4 || !trimmed.AsSpan(trimmed.Length - 4).ContainsOnlyDigits())
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.Phone, "The last four digits of a phone number are four digits.");
        }

        return trimmed[^4..];
    }

    /// <summary>Splits an E.164 number into country calling code and national significant number.</summary>
    internal static (int CountryCode, string National) Split(string e164)
    {
        var number = Util.Parse(e164, null);
        return (number.CountryCode, Util.GetNationalSignificantNumber(number));
    }

    internal static int CountryCodeOf(string region) => Util.GetCountryCodeForRegion(region);

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
