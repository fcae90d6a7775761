namespace Guichet.Audit.Storage;

/// <summary>
/// One row of the ledger. Identifiers only: the writer refuses values that look personal, and
/// the hash chains each row to the one before (see docs/audit.md for the canonical encoding).
/// </summary>
internal sealed class LedgerEntry
{
    public long Sequence { get; set; }

    /// <summary>UTC, truncated to whole microseconds so both providers store it exactly.</summary>
    public DateTime OccurredAt { get; set; }

    public string ActorKind { get; set; } = "";

    public string ActorId { get; set; } = "";

    public string Action { get; set; } = "";

    public string? ResourceType { get; set; }

    public string? ResourceId { get; set; }

    public string? Purpose { get; set; }

    public string Outcome { get; set; } = "";

    public string? ClientAddress { get; set; }

    public string? CorrelationId { get; set; }

    public string? BranchId { get; set; }

    public byte[] PreviousHash { get; set; } = [];

    public byte[] Hash { get; set; } = [];
}
