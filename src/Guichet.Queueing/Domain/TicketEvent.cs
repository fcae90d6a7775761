namespace Guichet.Queueing.Domain;

/// <summary>One state change of a ticket, kept as history (who, where, when; never personal data).</summary>
internal sealed class TicketEvent
{
    public long Id { get; set; }

    public Guid TicketId { get; set; }

    public TicketEventKind Kind { get; set; }

    public TicketStatus Status { get; set; }

    public DateTime OccurredAt { get; set; }

    public Guid? CounterId { get; set; }

    public Guid? ServiceId { get; set; }

    public string? StaffMemberId { get; set; }
}
