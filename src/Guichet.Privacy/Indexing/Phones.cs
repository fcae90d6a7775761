using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
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

        if (TryToE164Fast(raw, defaultRegion, out var e164))
        {
            return e164;
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

    /// <summary>
    /// The E.164 form of the common inputs (<c>+86 138 0013 8000</c>, <c>138-0013-8000</c>: a
    /// leading + or a digit, then digits, spaces and dashes) without libphonenumber's general
    /// parser, which costs more than encrypting the number. It answers only when the result is
    /// certainly the parser's: it steps aside (false) for anything the parser would rewrite (an
    /// international dialling prefix, the region's own country code written without +, a national
    /// prefix or carrier code, a leading zero, a non-geographic code, other characters) and for
    /// invalid numbers, so that <see cref="ToE164"/> gives the same answer and the same error.
    /// Validity is libphonenumber's rule on its own metadata (see <see cref="RegionRules.IsValid"/>).
    /// </summary>
    internal static bool TryToE164Fast(string raw, string defaultRegion, [NotNullWhen(true)] out string? e164)
    {
        e164 = null;
        var text = raw.AsSpan().Trim(' ');
        var plus = text.Length > 0 && text[0] == '+';
        if (plus)
        {
            text = text[1..];
        }

        if (text.Length == 0 || text.Length > 40 || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[^1]))
        {
            return false;
        }

        Span<char> digits = stackalloc char[text.Length];
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
            else if (c is not (' ' or '-'))
            {
                return false;
            }
        }

        digits = digits[..count];
        RegionRules? rules = null;
        var nationalStart = 0;
        if (plus)
        {
            // The parser takes the shortest prefix (1 to 3 digits) that is an assigned country code.
            for (var length = 1; length <= 3 && length <= digits.Length && rules is null; length++)
            {
                var code = int.Parse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture);
                var region = digits[0] == '0' ? UnknownRegion : Util.GetRegionCodeForCountryCode(code);
                if (region == UnknownRegion)
                {
                    continue;
                }

                rules = RulesFor(region);
                if (rules is null || rules.CountryCode != code)
                {
                    return false;
                }

                nationalStart = length;
            }
        }
        else
        {
            rules = RulesFor(defaultRegion);
            if (rules is not null && (rules.InternationalPrefix?.IsMatch(digits) == true || digits.StartsWith(rules.CountryCodeText)))
            {
                return false;
            }
        }

        var national = digits[nationalStart..];
        if (rules is null || count < 3 || national.Length < 2 || national.Length > 17 || national[0] == '0'
            || rules.NationalPrefixForParsing?.IsMatch(national) == true)
        {
            return false;
        }

        var nationalText = new string(national);
        if (!rules.IsValid(nationalText))
        {
            return false;
        }

        e164 = string.Concat("+", rules.CountryCodeText, nationalText);
        return true;
    }

    private const string UnknownRegion = "ZZ";

    private static readonly ConcurrentDictionary<string, RegionRules?> Rules = new(StringComparer.Ordinal);

    private static RegionRules? RulesFor(string region) => Rules.GetOrAdd(region, static region =>
    {
        // Non-geographic codes (region "001") have metadata of their own: left to the parser.
        var metadata = Util.GetMetadataForRegion(region);
        if (metadata is null)
        {
            return null;
        }

        // Where one region owns the country code, a number is valid when it has a valid length
        // and matches the region's general pattern and the pattern of any one number type; which
        // type does not matter, so the common ones are tried first. Shared codes (+1, +7, +44...)
        // pick their region first: left to the library.
        NumberPattern[]? types = Util.GetRegionCodesForCountryCode(metadata.CountryCode).Count == 1
            ? [.. new[]
            {
                metadata.Mobile, metadata.FixedLine, metadata.TollFree, metadata.PremiumRate, metadata.SharedCost,
                metadata.PersonalNumber, metadata.Voip, metadata.Pager, metadata.Uan, metadata.Voicemail,
            }.Select(Whole)]
            : null;
        return new RegionRules(
            metadata.CountryCode,
            metadata.CountryCode.ToString(CultureInfo.InvariantCulture),
            AtStart(metadata.InternationalPrefix),
            AtStart(metadata.NationalPrefixForParsing),
            Whole(metadata.GeneralDesc),
            types);
    });

    private static NumberPattern Whole(PhoneNumberDesc? description) =>
        new(string.IsNullOrEmpty(description?.NationalNumberPattern) ? null : new Regex("^(?:" + description.NationalNumberPattern + ")\\z", RegexOptions.CultureInvariant | RegexOptions.Compiled),
            description is null ? [] : [.. description.PossibleLengthList]);

    /// <summary>The parser's "looking at" match: the pattern at the start of the digits.</summary>
    private static Regex? AtStart(string? pattern) =>
        string.IsNullOrEmpty(pattern) ? null : new Regex("^(?:" + pattern + ")", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private sealed record RegionRules(int CountryCode, string CountryCodeText, Regex? InternationalPrefix, Regex? NationalPrefixForParsing, NumberPattern General, NumberPattern[]? Types)
    {
        /// <summary>libphonenumber's validity for this region's national significant numbers.</summary>
        public bool IsValid(string national)
        {
            if (Types is null)
            {
                return Util.IsValidNumber(new PhoneNumber.Builder()
                    .SetCountryCode(CountryCode)
                    .SetNationalNumber(ulong.Parse(national, NumberStyles.None, CultureInfo.InvariantCulture))
                    .Build());
            }

            if (!General.Matches(national))
            {
                return false;
            }

            foreach (var type in Types)
            {
                if (type.Matches(national))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A number type's pattern, matched against the whole national number, and its possible lengths.</summary>
    private sealed record NumberPattern(Regex? Pattern, int[] Lengths)
    {
        public bool Matches(string national) =>
            Pattern is not null && (Lengths.Length == 0 || Array.IndexOf(Lengths, national.Length) >= 0) && Pattern.IsMatch(national);
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
