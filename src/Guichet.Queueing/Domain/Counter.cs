namespace Guichet.Queueing.Domain;

/// <summary>
/// A service window. Its state lives on the server (paused flag here; its current and
/// suspended tickets are the tickets it holds), so a reloaded console resumes where it was.
/// </summary>
internal sealed class Counter
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; }

    public Guid BranchId { get; set; }

    public required string Name { get; set; }

    /// <summary>The number shown above the window and announced ("A012, window 3").</summary>
    public int WindowNumber { get; set; }

    public bool IsPaused { get; set; }

    /// <summary>The staff member who last acted at this window (an actor id, never a name).</summary>
    public string? StaffMemberId { get; set; }

    public List<CounterService> Services { get; set; } = [];
}

/// <summary>A service a counter serves.</summary>
internal sealed class CounterService
{
    public Guid CounterId { get; set; }

    public Guid ServiceId { get; set; }
}
