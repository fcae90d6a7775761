using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;

namespace Guichet.Privacy.Protection;

/// <summary>
/// The only path to a person's full value (P2): policy check, then the access is recorded in
/// the audit trail, and only then is the value returned. No audit, no plaintext.
/// </summary>
public interface IRevealService
{
    ValueTask<RevealResult> RevealAsync(RevealRequest request, CancellationToken cancellationToken = default);
}

/// <param name="Actor">Who asks (recorded in the ledger).</param>
/// <param name="Role">The caller's role: the input to <see cref="Masking.PersonalDataPolicy"/>.</param>
/// <param name="Category">The field's classification.</param>
/// <param name="Field">Where the value is stored (bound into its ciphertext).</param>
/// <param name="Ciphertext">The stored value.</param>
/// <param name="Purpose">Why, in the caller's words; required.</param>
public sealed record RevealRequest(
    AuditActor Actor,
    StaffRole Role,
    PersonalDataCategory Category,
    FieldRef Field,
    ReadOnlyMemory<byte> Ciphertext,
    string Purpose)
{
    public string? BranchId { get; init; }

    public string? ClientAddress { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>
    /// The record the ledger names for this reveal (e.g. <c>customer</c> and the customer id),
    /// when it is not the field's entity and row: the audit rules (distinct customers,
    /// honeytokens) and a customer's access history read the record, not the column.
    /// </summary>
    public (string Type, string Id)? AuditResource { get; init; }
}

public enum RevealStatus
{
    Revealed,
    Denied,
    PurposeRequired,
    AuditUnavailable,
    Erased,
    Unreadable,
}

/// <summary>The outcome of a reveal. <see cref="ToString"/> never prints the value.</summary>
public sealed class RevealResult
{
    private RevealResult(RevealStatus status, string? value, long? auditSequence)
    {
        Status = status;
        Value = value;
        AuditSequence = auditSequence;
    }

    public RevealStatus Status { get; }

    /// <summary>The full value; only when <see cref="Status"/> is <see cref="RevealStatus.Revealed"/>.</summary>
    public string? Value { get; }

    /// <summary>The ledger entry that recorded this reveal.</summary>
    public long? AuditSequence { get; }

    internal static RevealResult Revealed(string value, long sequence) => new(RevealStatus.Revealed, value, sequence);

    internal static RevealResult Failed(RevealStatus status) => new(status, null, null);

    public override string ToString() => $"RevealResult {{ Status = {Status}, AuditSequence = {AuditSequence} }}";
}
