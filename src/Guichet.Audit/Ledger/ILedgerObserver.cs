using Guichet.Audit.Storage;

namespace Guichet.Audit.Ledger;

/// <summary>Sees every entry once it is committed (the anomaly rules), on the recording caller's path.</summary>
internal interface ILedgerObserver
{
    ValueTask OnCommittedAsync(LedgerEntry entry, CancellationToken cancellationToken);
}
