namespace Guichet.Queueing.Domain;

/// <summary>
/// A place in a service's queue. Holds no personal data: a customer is a number and an
/// unguessable tracker token.
/// </summary>
internal sealed class Ticket
{
    public const int NumberMaxLength = 8;

    public Guid Id { get; set; }

    public Guid BranchId { get; set; }

    /// <summary>The service whose queue the ticket is in now (changes on transfer).</summary>
    public Guid ServiceId { get; set; }

    /// <summary>The service that issued the number; numbers are unique per issuing service and local day.</summary>
    public Guid IssuedServiceId { get; set; }

    /// <summary>The branch-local day the ticket was issued on.</summary>
    public DateOnly ServiceDay { get; set; }

    public int Sequence { get; set; }

    /// <summary>Prefix and sequence, e.g. A012.</summary>
    public required string Number { get; set; }

    public TicketChannel Channel { get; set; }

    public TicketPriority Priority { get; set; }

    public PriorityReason? PriorityReason { get; set; }

    public TicketStatus Status { get; set; }

    /// <summary>When the customer first arrived; kept across transfers.</summary>
    public DateTime ArrivedAt { get; set; }

    /// <summary>The time the calling rule orders by: arrival, kept on transfer, reset when returned to the queue.</summary>
    public DateTime QueuedAt { get; set; }

    public DateTime? CalledAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>The counter holding the ticket (called, serving or suspended there).</summary>
    public Guid? CounterId { get; set; }

    /// <summary>When transferred to a specific counter, only that counter calls it.</summary>
    public Guid? TargetCounterId { get; set; }

    /// <summary>The staff member (actor id) who last acted on the ticket.</summary>
    public string? StaffMemberId { get; set; }

    /// <summary>128 random bits, base64url: the tracker link's only key.</summary>
    public required string TrackerToken { get; set; }

    public List<TicketEvent> Events { get; set; } = [];
}
