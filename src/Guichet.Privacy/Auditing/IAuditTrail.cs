namespace Guichet.Privacy.Auditing;

/// <summary>
/// The one interface every module writes accountability events through. The audit
/// module implements it with the tamper-evident ledger; the kernel uses it to record a
/// reveal before a plaintext value leaves (P2: no audit, no plaintext).
/// </summary>
/// <remarks>
/// <see cref="RecordAsync"/> completes only once the entry is durable; it throws
/// <see cref="AuditUnavailableException"/> when the entry could not be written, and the
/// caller must then fail the operation it was about to perform.
/// </remarks>
public interface IAuditTrail
{
    /// <returns>The ledger sequence number of the committed entry.</returns>
    ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);
}
