using System.Globalization;

namespace Guichet.Components.Pages.Admin.Branches;

/// <summary>
/// Weekly hours as a page edits them: an opening and a closing time per day (both empty: closed),
/// to and from the configuration API's text form <c>mon=08:30-17:00;tue=…</c>, which validates.
/// </summary>
internal sealed class WeekHoursForm
{
    private static readonly string[] DayKeys = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Days in the order a week is read (Monday first), as indexes into the arrays.</summary>
    public static IReadOnlyList<int> DisplayOrder { get; } = [1, 2, 3, 4, 5, 6, 0];

    public string?[] Opens { get; set; } = new string?[7];

    public string?[] Closes { get; set; } = new string?[7];

    public static string DayName(int day) => CultureInfo.InvariantCulture.DateTimeFormat.GetDayName((DayOfWeek)day);

    public static WeekHoursForm From(string? text)
    {
        var form = new WeekHoursForm();
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', '-');
            var day = parts.Length == 3 ? Array.IndexOf(DayKeys, parts[0]) : -1;
            if (day >= 0)
            {
                form.Opens[day] = parts[1];
                form.Closes[day] = parts[2];
            }
        }

        return form;
    }

    /// <summary>The text form; a day with only one time gives text the API rejects with a clear message.</summary>
    public string ToText()
    {
        var days = new List<string>();
        for (var day = 0; day < 7; day++)
        {
            var opens = Value(Opens, day);
            var closes = Value(Closes, day);
            if (opens.Length > 0 || closes.Length > 0)
            {
                days.Add($"{DayKeys[day]}={opens}-{closes}");
            }
        }

        return string.Join(';', days);
    }

    private static string Value(string?[] times, int day) => day < times.Length ? (times[day] ?? "").Trim() : "";
}
