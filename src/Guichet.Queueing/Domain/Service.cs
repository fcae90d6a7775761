namespace Guichet.Queueing.Domain;

/// <summary>A kind of business a branch serves, e.g. A = Deposits, with its own queue.</summary>
internal sealed class Service
{
    public const int NameMaxLength = 100;
    public const int BusinessTypeMaxLength = 50;
    public const int PurposeMaxLength = 200;

    public Guid Id { get; set; }

    public Guid BranchId { get; set; }

    public required string Name { get; set; }

    public required string BusinessType { get; set; }

    public const int PrefixMaxLength = 2;

    /// <summary>Ticket prefix, one or two capital letters unique in the branch (A012, VB003).</summary>
    public required string Prefix { get; set; }

    /// <summary>Service hours inside the branch's opening hours; null means the branch's hours.</summary>
    public WeeklyHours? ServiceHours { get; set; }

    /// <summary>Tickets a branch-local day may issue for this service.</summary>
    public int DailyCap { get; set; }

    /// <summary>Counter consoles warn when more than this many tickets are waiting.</summary>
    public int WaitingWarningLevel { get; set; }

    /// <summary>Service minutes assumed for the wait estimate until enough services completed today.</summary>
    public int DefaultServiceMinutes { get; set; }

    public bool CollectsPhone { get; set; }

    public string? PhonePurpose { get; set; }

    public bool CollectsIdNumber { get; set; }

    public string? IdNumberPurpose { get; set; }

    public int DisplayOrder { get; set; }
}
