using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guichet.Privacy.Auditing;

/// <summary>
/// Ledger entries written inside a caller's own transaction on the installation's database, so
/// a change and the entries that account for it commit together or not at all. A module that
/// commits a batch of staff actions appends their entries before its commit and, once it has
/// committed, hands each receipt to <see cref="CommittedAsync"/>.
/// </summary>
/// <remarks>
/// The audit module writes the entries in the transaction itself. Without it, the kernel's
/// <see cref="AfterCommitAuditTrail"/> records each entry through <see cref="IAuditTrail"/> in
/// <see cref="CommittedAsync"/>, after the change: the order every trail can keep.
/// </remarks>
public interface IAuditTrailInTransaction
{
    /// <summary>
    /// Writes one entry per event in <paramref name="transaction"/>; they are durable when it
    /// commits and gone if it rolls back.
    /// </summary>
    /// <returns>One receipt per event, in order.</returns>
    /// <exception cref="AuditUnavailableException">The entries could not be written: fail the transaction.</exception>
    Task<IReadOnlyList<AuditReceipt>> AppendAsync(DbTransaction transaction, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);

    /// <summary>What follows a committed entry (the anomaly rules), called once the transaction has committed.</summary>
    /// <exception cref="AuditUnavailableException">The entry could not be recorded (only where it is recorded here).</exception>
    ValueTask CommittedAsync(AuditReceipt receipt, CancellationToken cancellationToken);
}

/// <summary>One change and its one entry, on an EF Core transaction.</summary>
public static class AuditTrailInTransactionExtensions
{
    /// <summary>
    /// Writes <paramref name="entry"/> in <paramref name="transaction"/> and commits it with the
    /// change already saved there. Hand the receipt to <see cref="IAuditTrailInTransaction.CommittedAsync"/>
    /// once outside any write lock (the anomaly rules may record entries of their own).
    /// </summary>
    /// <exception cref="AuditUnavailableException">The entry could not be written: nothing was committed.</exception>
    public static async Task<AuditReceipt> CommitWithEntryAsync(
        this IAuditTrailInTransaction ledger, IDbContextTransaction transaction, AuditEvent entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(transaction);
        var recorded = await ledger.AppendAsync(transaction.GetDbTransaction(), [entry], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return recorded[0];
    }
}

/// <summary>An event handed to <see cref="IAuditTrailInTransaction.AppendAsync"/>; the trail that wrote it knows the rest.</summary>
public abstract class AuditReceipt
{
    protected AuditReceipt(AuditEvent auditEvent) => Event = auditEvent;

    public AuditEvent Event { get; }
}

/// <summary>
/// The fallback where no ledger joins transactions: nothing is written in the transaction, and
/// each entry is recorded through <see cref="IAuditTrail"/> once the change has committed.
/// </summary>
public sealed class AfterCommitAuditTrail(IAuditTrail trail) : IAuditTrailInTransaction
{
    public Task<IReadOnlyList<AuditReceipt>> AppendAsync(DbTransaction transaction, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Task.FromResult<IReadOnlyList<AuditReceipt>>([.. events.Select(e => new Deferred(e))]);
    }

    public async ValueTask CommittedAsync(AuditReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        await trail.RecordAsync(receipt.Event, cancellationToken);
    }

    private sealed class Deferred(AuditEvent auditEvent) : AuditReceipt(auditEvent);
}
