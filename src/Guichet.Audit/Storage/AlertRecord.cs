namespace Guichet.Audit.Storage;

/// <summary>An alert raised by an anomaly rule, with the ledger entries that triggered it.</summary>
internal sealed class AlertRecord
{
    public Guid Id { get; set; }

    public string Rule { get; set; } = "";

    public string Severity { get; set; } = "";

    public string ActorKind { get; set; } = "";

    public string ActorId { get; set; } = "";

    /// <summary>Ledger sequence numbers, comma-separated, ascending.</summary>
    public string Evidence { get; set; } = "";

    public string Response { get; set; } = "";

    public string State { get; set; } = "";

    public DateTime RaisedAt { get; set; }

    public string? HandledBy { get; set; }

    public DateTime? HandledAt { get; set; }
}
