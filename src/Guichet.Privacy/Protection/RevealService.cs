using Guichet.Privacy.Auditing;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Masking;
using Microsoft.Extensions.Logging;

namespace Guichet.Privacy.Protection;

internal sealed class RevealService(PersonalDataProtector protector, IAuditTrail auditTrail, ILogger<RevealService> logger) : IRevealService
{
    public const string RevealAction = "personal-data.reveal";
    private const int MaxPurposeLength = 500;

    public async ValueTask<RevealResult> RevealAsync(RevealRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var field = request.Field;
        if (string.IsNullOrWhiteSpace(request.Purpose) || request.Purpose.Length > MaxPurposeLength)
        {
            return RevealResult.Failed(RevealStatus.PurposeRequired);
        }

        if (!PersonalDataPolicy.MayReveal(request.Role, request.Category))
        {
            Log.RevealDenied(logger, field.Entity, field.Field, field.RowId, request.Role);
            await TryRecordAsync(request, AuditOutcome.Denied, cancellationToken).ConfigureAwait(false);
            return RevealResult.Failed(RevealStatus.Denied);
        }

        var (plaintext, reason) = await protector.TryUnprotectAsync(request.Ciphertext, field, cancellationToken).ConfigureAwait(false);
        if (plaintext is null)
        {
            await TryRecordAsync(request, AuditOutcome.Failure, cancellationToken).ConfigureAwait(false);
            return RevealResult.Failed(reason == UnreadableReason.Erased ? RevealStatus.Erased : RevealStatus.Unreadable);
        }

        long sequence;
        try
        {
            sequence = await auditTrail.RecordAsync(Event(request, AuditOutcome.Success), cancellationToken).ConfigureAwait(false);
        }
        catch (AuditUnavailableException ex)
        {
            Log.RevealAuditUnavailable(logger, field.Entity, field.Field, field.RowId, ex);
            return RevealResult.Failed(RevealStatus.AuditUnavailable);
        }

        return RevealResult.Revealed(plaintext, sequence);
    }

    /// <summary>Refusals and failures are recorded when the ledger can take them; they return nothing either way.</summary>
    private async Task TryRecordAsync(RevealRequest request, AuditOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await auditTrail.RecordAsync(Event(request, outcome), cancellationToken).ConfigureAwait(false);
        }
        catch (AuditUnavailableException ex)
        {
            Log.RevealAuditUnavailable(logger, request.Field.Entity, request.Field.Field, request.Field.RowId, ex);
        }
    }

    private static AuditEvent Event(RevealRequest request, AuditOutcome outcome) => new(
        RevealAction,
        request.Actor,
        outcome,
        ResourceType: request.AuditResource?.Type ?? $"{request.Field.Entity}.{request.Field.Field}",
        ResourceId: request.AuditResource?.Id ?? request.Field.RowId,
        Purpose: request.Purpose,
        ClientAddress: request.ClientAddress,
        CorrelationId: request.CorrelationId,
        BranchId: request.BranchId);
}
