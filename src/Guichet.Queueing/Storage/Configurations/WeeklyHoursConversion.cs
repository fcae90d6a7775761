using Guichet.Queueing.Domain;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Guichet.Queueing.Storage.Configurations;

internal static class WeeklyHoursConversion
{
    public const int MaxLength = 200;

    public static ValueConverter<WeeklyHours, string> Converter { get; } =
        new(hours => hours.ToString(), text => WeeklyHours.Parse(text));

    public static ValueComparer<WeeklyHours> Comparer { get; } =
        new((a, b) => a == null ? b == null : a.Equals(b), hours => hours.GetHashCode(), hours => WeeklyHours.Parse(hours.ToString()));
}
