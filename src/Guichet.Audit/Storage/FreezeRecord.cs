namespace Guichet.Audit.Storage;

/// <summary>
/// A frozen actor and the approvals collected to lift the freeze: one security auditor and
/// one administrator, two different people.
/// </summary>
internal sealed class FreezeRecord
{
    public Guid Id { get; set; }

    public string ActorKind { get; set; } = "";

    public string ActorId { get; set; } = "";

    public Guid? AlertId { get; set; }

    public DateTime FrozenAt { get; set; }

    public string? AuditorApproval { get; set; }

    public string? AdministratorApproval { get; set; }

    public DateTime? ReleasedAt { get; set; }
}
