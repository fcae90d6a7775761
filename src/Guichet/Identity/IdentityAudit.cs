using System.Security.Claims;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;

namespace Guichet.Identity;

/// <summary>Writes this module's accountability events (identifiers only, never a secret).</summary>
internal sealed class IdentityAudit(IAuditTrail trail, IHttpContextAccessor accessor)
{
    public ValueTask<long> RecordAsync(
        string action,
        AuditOutcome outcome,
        AuditActor? actor = null,
        string? resourceType = null,
        string? resourceId = null,
        string? branchId = null,
        CancellationToken cancellationToken = default)
    {
        var context = accessor.HttpContext;
        return trail.RecordAsync(
            new AuditEvent(
                action,
                actor ?? ActorOf(context?.User),
                outcome,
                resourceType,
                resourceId,
                ClientAddress: context?.Connection.RemoteIpAddress?.ToString(),
                CorrelationId: context?.TraceIdentifier,
                BranchId: branchId),
            cancellationToken);
    }

    public static AuditActor Staff(string userId) => new(AuditActorKind.Staff, userId);

    public static AuditActor ActorOf(ClaimsPrincipal? user)
    {
        var id = user?.FindFirst(GuichetClaimTypes.ActorId)?.Value;
        return (user?.FindFirst(GuichetClaimTypes.ActorKind)?.Value, id) switch
        {
            (ActorKinds.Staff, not null) => new AuditActor(AuditActorKind.Staff, id),
            (ActorKinds.Device, not null) => new AuditActor(AuditActorKind.Device, id),
            (ActorKinds.ApiClient, not null) => new AuditActor(AuditActorKind.ApiClient, id),
            _ => new AuditActor(AuditActorKind.Anonymous, "anonymous"),
        };
    }
}

/// <summary>Values of the <c>guichet:actor</c> claim.</summary>
public static class ActorKinds
{
    public const string Staff = "staff";
    public const string Device = "device";
    public const string ApiClient = "api-client";
}

/// <summary>Stands in until the audit module registers the ledger.</summary>
internal sealed class NoOpAuditTrail : IAuditTrail
{
    public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) => ValueTask.FromResult(0L);
}
