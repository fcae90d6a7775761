using System.Collections.Frozen;
using Guichet.Identity.Data;
using Guichet.Privacy.Access;

namespace Guichet.Identity.Access;

/// <summary>
/// Permission names. An authorization policy exists for each, named after it. Modules declare
/// the names their endpoints require (e.g. the queue's <c>queue.counter.operate</c>); this
/// table grants them to roles, devices and API clients.
/// </summary>
internal static class Permissions
{
    // Queue (declared by the queue module; repeated here by value).
    public const string QueueCounterOperate = "queue.counter.operate";
    public const string QueueBranchManage = "queue.branch.manage";
    public const string QueueBranchCreate = "queue.branch.create";
    public const string QueueTicketIssue = "queue.ticket.issue";
    public const string QueueDisplayView = "queue.display.view";

    // Customers and contact centre (declared by the customer module; repeated here by value).
    public const string CustomerLookup = "customer.lookup";
    public const string CustomerReveal = "customer.reveal";
    public const string CustomerEdit = "customer.edit";
    public const string CustomerErase = "customer.erase";
    public const string CallRecordsReview = "callrecords.review";

    // Reports and exports.
    public const string ReportsRead = "reports.read";
    public const string ExportsApprove = "exports.approve";

    // Privacy office.
    public const string PrivacyRequestsManage = "privacy.requests.manage";
    public const string PrivacyRetentionManage = "privacy.retention.manage";

    // Audit.
    public const string AuditLedgerRead = "audit.ledger.read";
    public const string AuditAlertsManage = "audit.alerts.manage";

    // Accounts and access.
    public const string StaffManage = "identity.staff.manage";
    public const string StaffUnfreeze = "identity.staff.unfreeze";
    public const string DevicesManage = "identity.devices.manage";
    public const string ApiKeysManage = "identity.apikeys.manage";

    // System.
    public const string SettingsManage = "system.settings.manage";
    public const string KeysManage = "system.keys.manage";
    public const string HealthRead = "system.health.read";
    public const string BackupsManage = "system.backups.manage";

    /// <summary>What each staff role may do. The generated table in docs/access.md comes from here.</summary>
    public static FrozenDictionary<StaffRole, FrozenSet<string>> ByRole { get; } = new Dictionary<StaffRole, FrozenSet<string>>
    {
        [StaffRole.CounterStaff] = Set(QueueCounterOperate),
        [StaffRole.ServiceAgent] = Set(CustomerLookup, CustomerEdit, CustomerReveal),
        [StaffRole.QualityInspector] = Set(CallRecordsReview),
        [StaffRole.BranchManager] = Set(QueueBranchManage, ReportsRead, ExportsApprove),
        [StaffRole.PrivacyOfficer] = Set(PrivacyRequestsManage, PrivacyRetentionManage, CustomerLookup, CustomerEdit, CustomerReveal, CustomerErase),
        [StaffRole.SecurityAuditor] = Set(AuditLedgerRead, AuditAlertsManage, StaffUnfreeze),
        // Administrators create branches and configure any (their scope is every branch).
        [StaffRole.Administrator] = Set(StaffManage, StaffUnfreeze, DevicesManage, ApiKeysManage, SettingsManage, KeysManage, HealthRead, QueueBranchManage, QueueBranchCreate),
        [StaffRole.Operator] = Set(HealthRead, BackupsManage),
    }.ToFrozenDictionary();

    /// <summary>What each kind of enrolled device may do: its one job.</summary>
    public static FrozenDictionary<DeviceKind, FrozenSet<string>> ByDevice { get; } = new Dictionary<DeviceKind, FrozenSet<string>>
    {
        [DeviceKind.Kiosk] = Set(QueueTicketIssue),
        [DeviceKind.Display] = Set(QueueDisplayView),
    }.ToFrozenDictionary();

    /// <summary>Roles whose scope is every branch by nature (they hold no branch-bound duty).</summary>
    public static FrozenSet<StaffRole> AllBranchRoles { get; } =
        new[] { StaffRole.Administrator, StaffRole.SecurityAuditor, StaffRole.Operator, StaffRole.PrivacyOfficer }.ToFrozenSet();

    /// <summary>Roles an API key may carry: none that manages accounts, keys or the audit trail.</summary>
    public static FrozenSet<StaffRole> ApiKeyRoles { get; } =
        new[] { StaffRole.CounterStaff, StaffRole.ServiceAgent, StaffRole.BranchManager, StaffRole.Operator }.ToFrozenSet();

    public static IEnumerable<string> All =>
        ByRole.Values.SelectMany(p => p).Concat(ByDevice.Values.SelectMany(p => p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    public static IEnumerable<string> ForRoles(IEnumerable<StaffRole> roles) =>
        roles.SelectMany(role => ByRole.TryGetValue(role, out var permissions) ? permissions : FrozenSet<string>.Empty).Distinct(StringComparer.Ordinal);

    private static FrozenSet<string> Set(params string[] permissions) => permissions.ToFrozenSet(StringComparer.Ordinal);
}
