using Guichet.Privacy.Classification;
using Guichet.Privacy.Protection;

namespace Guichet.Queueing.Domain;

/// <summary>
/// A place in a service's queue. A customer is a number and an unguessable tracker token; the
/// only personal data is the optional phone number (with blind indexes for look-up) and the
/// optional name staff give at the desk, each stored as the privacy kernel's ciphertext under
/// the customer's own key and bound to this row.
/// </summary>
[PersonalDataEntity(PhoneEntity)]
internal sealed class Ticket
{
    /// <summary>Entity and field names bound into the phone's ciphertext; never change them.</summary>
    public const string PhoneEntity = "ticket";

    public const string PhoneField = "phone";

    public const string CustomerNameField = "customer-name";

    public const int SubjectIdMaxLength = 40;

    /// <summary>A two-letter prefix and a seven-digit sequence (a cap of a million a day) fit.</summary>
    public const int NumberMaxLength = 12;

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
    [NotPersonalData("Queue number shown on the display board")]
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
    [NotPersonalData("A staff actor id, not a customer's data")]
    public string? StaffMemberId { get; set; }

    /// <summary>128 random bits, base64url: the tracker link's only key.</summary>
    [NotPersonalData("Random bearer token of the tracker link")]
    public required string TrackerToken { get; set; }

    /// <summary>The customer's pseudonymous data-subject id: their key; erasing them shreds the phone.</summary>
    [NotPersonalData("Pseudonymous subject id naming the customer's key")]
    public string? CustomerSubjectId { get; set; }

    [PersonalData(PersonalDataCategory.Phone, Purpose = "Tell the customer when their turn is near", Retention = "Until the ticket's service day ends; erased with the customer")]
    public byte[]? Phone { get; set; }

    /// <summary>The name a staff member typed when issuing the ticket, for the masked name on the display board.</summary>
    [PersonalData(PersonalDataCategory.Name, Purpose = "Show the customer's masked name on the display board and at the counter when their number is called", Retention = "Until the ticket's service day ends; erased with the customer")]
    public byte[]? CustomerName { get; set; }

    [BlindIndexColumn(nameof(Phone), PhoneIndexes.Full)]
    public byte[]? PhoneIndex { get; set; }

    [BlindIndexColumn(nameof(Phone), PhoneIndexes.LastFour)]
    public byte[]? PhoneLastFour { get; set; }

    public List<TicketEvent> Events { get; set; } = [];
}
