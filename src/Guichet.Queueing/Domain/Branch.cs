namespace Guichet.Queueing.Domain;

/// <summary>A service hall: its own time zone (IANA id) and opening hours.</summary>
internal sealed class Branch
{
    public const int NameMaxLength = 100;
    public const int TimeZoneMaxLength = 64;

    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>IANA time zone id, e.g. <c>Europe/Paris</c>; ticket days and hours are local to it.</summary>
    public required string TimeZoneId { get; set; }

    public required WeeklyHours OpeningHours { get; set; }

    /// <summary>Whether the display board may show a masked customer name next to a call.</summary>
    public bool ShowMaskedNames { get; set; }

    public DateTime CreatedAt { get; set; }

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
}
