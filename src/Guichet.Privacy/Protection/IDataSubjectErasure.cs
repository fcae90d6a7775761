using Guichet.Privacy.Auditing;
using Guichet.Privacy.Keys;

namespace Guichet.Privacy.Protection;

/// <summary>Crypto-shredding (P7): erasing a data subject destroys their key, so every copy of their data becomes unreadable.</summary>
public interface IDataSubjectErasure
{
    /// <summary>Records the erasure in the audit trail, then destroys the subject's key. Irreversible.</summary>
    /// <exception cref="AuditUnavailableException">Nothing was erased: the ledger could not record it.</exception>
    Task EraseAsync(string subjectId, AuditActor actor, CancellationToken cancellationToken = default);
}

internal sealed class DataSubjectErasure(KeyRing keyRing, IAuditTrail auditTrail) : IDataSubjectErasure
{
    public const string EraseAction = "personal-data.erase";

    public async Task EraseAsync(string subjectId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentNullException.ThrowIfNull(actor);
        await auditTrail.RecordAsync(new AuditEvent(EraseAction, actor, AuditOutcome.Success, ResourceType: "data-subject", ResourceId: subjectId), cancellationToken).ConfigureAwait(false);
        await keyRing.EraseSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Stands in until the audit module registers the ledger: every guarded operation fails closed.</summary>
internal sealed class UnavailableAuditTrail : IAuditTrail
{
    public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        throw new AuditUnavailableException("No audit trail is registered.");
}
