using System.Globalization;
using System.Text;

namespace Guichet.Queueing.Domain;

/// <summary>
/// Opening hours for each day of the week in the branch's local time, as minutes since
/// local midnight (0–1440, so "00:00–24:00" is the whole day). A day without a window is closed.
/// Stored as one readable text column, e.g. <c>mon=08:30-17:00;tue=08:30-17:00</c>.
/// </summary>
public sealed class WeeklyHours : IEquatable<WeeklyHours>
{
    private const int MinutesPerDay = 24 * 60;
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private readonly (int Opens, int Closes)?[] days;

    private WeeklyHours((int Opens, int Closes)?[] days) => this.days = days;

    /// <summary>Open all day, every day.</summary>
    public static WeeklyHours Always { get; } = new([.. Enumerable.Repeat<(int, int)?>((0, MinutesPerDay), 7)]);

    public static WeeklyHours Create(IReadOnlyDictionary<DayOfWeek, (TimeOnly Opens, TimeOnly? Closes)> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        var days = new (int, int)?[7];
        foreach (var (day, (opens, closes)) in hours)
        {
            var open = (opens.Hour * 60) + opens.Minute;
            var close = closes is { } c ? (c.Hour * 60) + c.Minute : MinutesPerDay;
            if (close <= open)
            {
                throw new ArgumentException("A day's closing time must come after its opening time.", nameof(hours));
            }

            days[(int)day] = (open, close);
        }

        return new WeeklyHours(days);
    }

    /// <summary>Whether the given local day and time fall inside that day's window (closing time excluded).</summary>
    public bool IsOpen(DateTime localTime)
    {
        var window = days[(int)localTime.DayOfWeek];
        var minute = (localTime.Hour * 60) + localTime.Minute;
        return window is { } w && minute >= w.Opens && minute < w.Closes;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        for (var day = 0; day < 7; day++)
        {
            if (days[day] is not { } w)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(';');
            }

            text.Append(CultureInfo.InvariantCulture, $"{DayNames[day]}={Format(w.Opens)}-{Format(w.Closes)}");
        }

        return text.ToString();
    }

    public static WeeklyHours Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var days = new (int, int)?[7];
        foreach (var entry in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', '-');
            var day = Array.IndexOf(DayNames, parts.Length == 3 ? parts[0] : null);
            if (day < 0 || !TryParseMinute(parts[1], out var opens) || !TryParseMinute(parts[2], out var closes) || closes <= opens)
            {
                throw new FormatException("Opening hours must read like 'mon=08:30-17:00;tue=08:30-17:00'.");
            }

            days[day] = (opens, closes);
        }

        return new WeeklyHours(days);
    }

    public bool Equals(WeeklyHours? other) => other is not null && days.SequenceEqual(other.days);

    public override bool Equals(object? obj) => Equals(obj as WeeklyHours);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private static string Format(int minute) =>
        string.Create(CultureInfo.InvariantCulture, $"{minute / 60:D2}:{minute % 60:D2}");

    private static bool TryParseMinute(string text, out int minute)
    {
        minute = -1;
        var parts = text.Split(':');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m > 59 || h > 24 || (h == 24 && m != 0))
        {
            return false;
        }

        minute = (h * 60) + m;
        return true;
    }
}
