using Guichet.Privacy.Auditing;

namespace Guichet.Audit.Ledger;

/// <summary>
/// The stored (and hashed) names of actor kinds and outcomes. Spelled out rather than taken
/// from the enum so that renaming a C# member can never change a past entry's hash.
/// </summary>
internal static class AuditNames
{
    public static string Of(AuditActorKind kind) => kind switch
    {
        AuditActorKind.System => "system",
        AuditActorKind.Staff => "staff",
        AuditActorKind.Device => "device",
        AuditActorKind.ApiClient => "api-client",
        AuditActorKind.Customer => "customer",
        AuditActorKind.Anonymous => "anonymous",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Of(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => "success",
        AuditOutcome.Failure => "failure",
        AuditOutcome.Denied => "denied",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static AuditActorKind ParseKind(string kind) => kind switch
    {
        "system" => AuditActorKind.System,
        "staff" => AuditActorKind.Staff,
        "device" => AuditActorKind.Device,
        "api-client" => AuditActorKind.ApiClient,
        "customer" => AuditActorKind.Customer,
        _ => AuditActorKind.Anonymous,
    };
}
