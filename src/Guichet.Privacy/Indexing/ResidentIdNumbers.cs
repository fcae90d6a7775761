using System.Globalization;
using Guichet.Privacy.Classification;

namespace Guichet.Privacy.Indexing;

/// <summary>
/// Chinese resident identity numbers (GB 11643-1999): 17 digits — region code, birth date
/// YYYYMMDD, sequence — and a check character computed with ISO 7064 MOD 11-2.
/// </summary>
public static class ResidentIdNumbers
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>18 characters, upper-case X, spaces removed; the checksum and birth date validated.</summary>
    /// <exception cref="InvalidPersonalDataException">Wrong length, characters, date or check character.</exception>
    public static string Normalize(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var value = raw.Replace(" ", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (value.Length != 18)
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.NationalId, "A resident ID number has 18 characters.");
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                throw new InvalidPersonalDataException(PersonalDataCategory.NationalId, "The first 17 characters of a resident ID number are digits.");
            }

            sum += (value[i] - '0') * Weights[i];
        }

        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.NationalId, "The resident ID number does not hold a valid birth date.");
        }

        if (value[17] != CheckCharacters[sum % 11])
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.NationalId, "The resident ID number's check character does not match: a character was probably mistyped.");
        }

        return value;
    }
}
