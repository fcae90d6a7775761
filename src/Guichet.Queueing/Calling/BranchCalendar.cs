using Guichet.Queueing.Domain;

namespace Guichet.Queueing.Calling;

/// <summary>Branch-local days and hours: a ticket's day is the branch's, not the server's.</summary>
internal static class BranchCalendar
{
    public static DateTime LocalTime(Branch branch, DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, branch.TimeZone);

    public static DateOnly LocalDay(Branch branch, DateTime utc) => DateOnly.FromDateTime(LocalTime(branch, utc));

    /// <summary>The UTC instant the branch's local day began.</summary>
    public static DateTime DayStartUtc(Branch branch, DateTime utc)
    {
        var zone = branch.TimeZone;
        var midnight = LocalDay(branch, utc).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A few zones skip local midnight at a DST change; the day then starts an hour later.
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(midnight, zone);
    }

    public static bool IsOpen(Branch branch, Service? service, DateTime utc)
    {
        var local = LocalTime(branch, utc);
        return branch.OpeningHours.IsOpen(local) && (service?.ServiceHours is not { } hours || hours.IsOpen(local));
    }
}
