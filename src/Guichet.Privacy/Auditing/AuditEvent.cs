namespace Guichet.Privacy.Auditing;

/// <summary>
/// One accountability event. Carries identifiers only — never a personal value: resource
/// ids are row ids or pseudonyms, never a phone number or a name.
/// </summary>
/// <param name="Action">Dotted action name, e.g. <c>customer.reveal</c>, <c>auth.signin</c>.</param>
/// <param name="Actor">Who acted.</param>
/// <param name="Outcome">What came of it.</param>
/// <param name="ResourceType">Kind of resource touched, e.g. <c>ticket</c>, <c>customer</c>.</param>
/// <param name="ResourceId">Its id (a row id or pseudonym, never a personal value).</param>
/// <param name="Purpose">The stated purpose, for reveals and exports.</param>
/// <param name="ClientAddress">The caller's network address, when there is one.</param>
/// <param name="CorrelationId">Ties the entry to a request trace.</param>
/// <param name="BranchId">The branch the event belongs to, for scoping and rules.</param>
public sealed record AuditEvent(
    string Action,
    AuditActor Actor,
    AuditOutcome Outcome,
    string? ResourceType = null,
    string? ResourceId = null,
    string? Purpose = null,
    string? ClientAddress = null,
    string? CorrelationId = null,
    string? BranchId = null);

/// <summary>Who performed an audited action.</summary>
/// <param name="Kind">Staff member, enrolled device, API client, customer (pseudonym) or the system.</param>
/// <param name="Id">Stable identifier of the actor; for customers a pseudonym.</param>
public sealed record AuditActor(AuditActorKind Kind, string Id)
{
    public static AuditActor System { get; } = new(AuditActorKind.System, "system");
}

public enum AuditActorKind
{
    System,
    Staff,
    Device,
    ApiClient,
    Customer,
    Anonymous,
}

public enum AuditOutcome
{
    Success,
    Failure,
    Denied,
}
