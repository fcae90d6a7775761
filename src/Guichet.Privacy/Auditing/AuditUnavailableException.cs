namespace Guichet.Privacy.Auditing;

/// <summary>The ledger could not durably record an event; the guarded operation must not proceed.</summary>
public sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException()
    {
    }

    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    public AuditUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
