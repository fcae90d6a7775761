using System.Globalization;
using System.Text;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Indexing;

namespace Guichet.Privacy.Masking;

/// <summary>
/// Masked views, computed at read time from the plaintext and never stored:
/// phone <c>138****5678</c>, ID number <c>110101********1234</c>, Chinese name <c>张*</c> /
/// <c>欧阳**</c>, Latin name <c>J. S****</c>.
/// </summary>
public static class Masks
{
    /// <summary>Two-character surnames kept whole in a masked Chinese name.</summary>
    private static readonly HashSet<string> CompoundSurnames = new(StringComparer.Ordinal)
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空",
        "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "呼延", "钟离", "澹台", "闻人", "万俟", "申屠",
    };

    public static string Mask(PersonalDataCategory category, string value, string defaultRegion = "CN")
    {
        ArgumentNullException.ThrowIfNull(value);
        return category switch
        {
            PersonalDataCategory.Phone => Phone(value, defaultRegion),
            PersonalDataCategory.NationalId => IdNumber(value),
            PersonalDataCategory.Name => Name(value),
            PersonalDataCategory.Email => Email(value),
            PersonalDataCategory.Address => Address(value),
            PersonalDataCategory.BirthDate => BirthDate(value),
            _ => "******",
        };
    }

    /// <summary>First three and last four digits of the national number; <c>+cc </c> before numbers of another country.</summary>
    public static string Phone(string e164, string defaultRegion = "CN")
    {
        ArgumentNullException.ThrowIfNull(e164);
        string national;
        var prefix = string.Empty;
        if (e164.StartsWith('+'))
        {
            var (countryCode, significant) = Phones.Split(e164);
            national = significant;
            if (countryCode != Phones.CountryCodeOf(defaultRegion))
            {
                prefix = string.Create(CultureInfo.InvariantCulture, $"+{countryCode} ");
            }
        }
        else
        {
            national = new string(e164.Where(char.IsAsciiDigit).ToArray());
        }

        if (national.Length < 8)
        {
            return prefix + "****" + national[Math.Max(0, national.Length - 2)..];
        }

        // Four stars whatever the length, so the mask does not tell the number's length.
        return prefix + national[..3] + "****" + national[^4..];
    }

    /// <summary>First six (region code) and last four characters: <c>110101********1234</c>.</summary>
    public static string IdNumber(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length < 11
            ? new string('*', Math.Max(value.Length - 2, 4)) + value[Math.Max(0, value.Length - 2)..]
            : value[..6] + new string('*', value.Length - 10) + value[^4..];
    }

    /// <summary>
    /// Chinese names keep the surname (compound surnames whole) and star each other character;
    /// Latin names keep the first initial and the family name's initial: <c>J. S****</c>.
    /// </summary>
    public static string Name(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Trim();
        if (name.Length == 0)
        {
            return string.Empty;
        }

        if (IsCjk(name[0]))
        {
            var surnameLength = name.Length > 2 && CompoundSurnames.Contains(name[..2]) ? 2 : 1;
            return name[..surnameLength] + new string('*', Math.Max(name.Length - surnameLength, 1));
        }

        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var family = parts[^1];
        var masked = FirstTextElement(family) + new string('*', Math.Max(new StringInfo(family).LengthInTextElements - 1, 1));
        return parts.Length == 1 ? masked : FirstTextElement(parts[0]) + ". " + masked;
    }

    public static string Email(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.LastIndexOf('@');
        return at <= 0 ? "******" : StringInfo.GetNextTextElement(value) + "***" + value[at..];
    }

    /// <summary>The first six characters (province and city, typically) then stars.</summary>
    public static string Address(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var info = new StringInfo(value.Trim());
        return info.LengthInTextElements <= 6 ? "******" : info.SubstringByTextElements(0, 6) + "******";
    }

    /// <summary>The year only.</summary>
    public static string BirthDate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length >= 4 ? value[..4] + "-**-**" : "****-**-**";
    }

    private static bool IsCjk(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';

    private static string FirstTextElement(string value) =>
        value.Length == 0 ? string.Empty : StringInfo.GetNextTextElement(value).ToUpperInvariant().Normalize(NormalizationForm.FormC);
}
