namespace Guichet.Tests.Identity;

/// <summary>Who may reach an endpoint. The matrix test derives each principal's expected answer from it.</summary>
public abstract record AccessRule
{
    /// <summary>Anyone, signed in or not.</summary>
    public static AccessRule Public { get; } = new PublicRule();

    /// <summary>Any authenticated principal (staff, device or API client).</summary>
    public static AccessRule Authenticated { get; } = new AuthenticatedRule();

    /// <summary>Any signed-in staff member.</summary>
    public static AccessRule Staff { get; } = new StaffRule();

    /// <summary>Any enrolled device.</summary>
    public static AccessRule Device { get; } = new DeviceRule();

    /// <summary>A principal holding the permission (staff, device or API client).</summary>
    public static AccessRule Permission(string permission) => new PermissionRule(permission);

    internal sealed record PublicRule : AccessRule;

    internal sealed record AuthenticatedRule : AccessRule;

    internal sealed record StaffRule : AccessRule;

    internal sealed record DeviceRule : AccessRule;

    internal sealed record PermissionRule(string Name) : AccessRule;
}

/// <summary>
/// Every endpoint of the host and who may reach it. Add a row with every new endpoint: the
/// matrix test fails when an endpoint is missing here (or a row names none).
/// Keys are "METHODS /pattern" as EndpointInventory prints them.
/// </summary>
public static class EndpointAccessTable
{
    public static IReadOnlyDictionary<string, AccessRule> Rules { get; } = new Dictionary<string, AccessRule>(StringComparer.Ordinal)
    {
        // Framework and public surface.
        ["GET /_framework/opaque-redirect"] = AccessRule.Public,
        ["GET,HEAD /{**path:file}"] = AccessRule.Public,
        ["GET /health"] = AccessRule.Public,
        // Queue: public hall surfaces (the counter console page itself signs in through the API).
        ["GET /api/v1/branches"] = AccessRule.Public,
        ["GET /api/v1/branches/{branchId:guid}/display"] = AccessRule.Public,
        ["GET /api/v1/branches/{branchId:guid}/display/events"] = AccessRule.Public,
        ["GET /api/v1/branches/{branchId:guid}/services"] = AccessRule.Public,
        ["GET /api/v1/tickets/{trackerToken}"] = AccessRule.Public,
        ["GET /api/v1/tickets/{trackerToken}/events"] = AccessRule.Public,
        ["GET /t/{token}/qr.png"] = AccessRule.Public,
        ["GET,POST /counter"] = AccessRule.Public,
        ["GET,POST /counter/{CounterId:guid}"] = AccessRule.Public,
        ["GET,POST /display"] = AccessRule.Public,
        ["GET,POST /display/{BranchId:guid}"] = AccessRule.Public,
        ["GET,POST /kiosk"] = AccessRule.Public,
        ["GET,POST /kiosk/{BranchId:guid}"] = AccessRule.Public,
        ["GET,POST /online"] = AccessRule.Public,
        ["GET,POST /online/{BranchId:guid}"] = AccessRule.Public,
        ["GET,POST /t/{Token}"] = AccessRule.Public,
        ["POST /api/v1/branches/{branchId:guid}/tickets"] = AccessRule.Public,
        // Queue: counter operations.
        ["GET /api/v1/branches/{branchId:guid}/counters"] = AccessRule.Permission("queue.counter.operate"),
        ["GET /api/v1/counters/{counterId:guid}"] = AccessRule.Permission("queue.counter.operate"),
        ["GET /api/v1/counters/{counterId:guid}/events"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/branches/{branchId:guid}/staff-tickets"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/call-next"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/complete"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/no-show"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/pause"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/recall"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/resume-counter"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/resume/{ticketId:guid}"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/return-to-queue"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/start"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/suspend"] = AccessRule.Permission("queue.counter.operate"),
        ["POST /api/v1/counters/{counterId:guid}/transfer"] = AccessRule.Permission("queue.counter.operate"),
        // Queue: configuration (branch managers in their scope; administrators everywhere, and only they create branches).
        ["GET /api/v1/configuration/branches"] = AccessRule.Permission("queue.branch.manage"),
        ["POST /api/v1/configuration/branches"] = AccessRule.Permission("queue.branch.create"),
        ["PUT /api/v1/configuration/branches/{branchId:guid}"] = AccessRule.Permission("queue.branch.manage"),
        ["POST /api/v1/configuration/branches/{branchId:guid}/services"] = AccessRule.Permission("queue.branch.manage"),
        ["PUT /api/v1/configuration/services/{serviceId:guid}"] = AccessRule.Permission("queue.branch.manage"),
        ["POST /api/v1/configuration/branches/{branchId:guid}/counters"] = AccessRule.Permission("queue.branch.manage"),
        ["PUT /api/v1/configuration/counters/{counterId:guid}"] = AccessRule.Permission("queue.branch.manage"),
        ["GET /openapi/{documentName}.json"] = AccessRule.Public,
        ["GET,POST /"] = AccessRule.Public,
        ["GET,POST /Error"] = AccessRule.Public,
        ["GET,POST /not-found"] = AccessRule.Public,

        // Customers: lookup, change, reveal (with a recent step-up), erasure.
        ["POST /api/v1/customers"] = AccessRule.Permission("customer.edit"),
        ["POST /api/v1/customers/search"] = AccessRule.Permission("customer.lookup"),
        ["GET /api/v1/customers/{id:guid}"] = AccessRule.Permission("customer.lookup"),
        ["PUT /api/v1/customers/{id:guid}"] = AccessRule.Permission("customer.edit"),
        ["POST /api/v1/customers/{id:guid}/reveal"] = AccessRule.Permission("customer.reveal"),
        ["DELETE /api/v1/customers/{id:guid}"] = AccessRule.Permission("customer.erase"),
        ["GET,POST /customers"] = AccessRule.Permission("customer.lookup"),

        // Sign-in and enrolment (anonymous by nature; rate-limited).
        ["GET,POST /account/login"] = AccessRule.Public,
        ["GET,POST /account/login-2fa"] = AccessRule.Public,
        ["GET,POST /account/login-recovery"] = AccessRule.Public,
        ["GET,POST /account/enrol"] = AccessRule.Public,
        ["GET,POST /account/setup"] = AccessRule.Public,
        ["GET,POST /account/access-denied"] = AccessRule.Public,
        ["POST /account/passkey/request-options"] = AccessRule.Public,
        ["POST /api/v1/devices/enrol"] = AccessRule.Public,

        // A staff member's own account.
        ["GET,POST /account/manage"] = AccessRule.Staff,
        ["GET,POST /account/manage/password"] = AccessRule.Staff,
        ["GET,POST /account/manage/authenticator"] = AccessRule.Staff,
        ["GET,POST /account/manage/passkeys"] = AccessRule.Staff,
        ["GET,POST /account/manage/recovery-codes"] = AccessRule.Staff,
        ["GET,POST /account/security"] = AccessRule.Staff,
        ["GET,POST /account/step-up"] = AccessRule.Staff,
        ["POST /account/logout"] = AccessRule.Staff,
        ["POST /account/passkey/creation-options"] = AccessRule.Staff,
        ["GET,POST /admin"] = AccessRule.Staff,

        // Administration.
        ["GET,POST /admin/staff"] = AccessRule.Permission("identity.staff.manage"),
        ["GET,POST /admin/staff/{Id}"] = AccessRule.Permission("identity.staff.manage"),
        ["GET,POST /admin/devices"] = AccessRule.Permission("identity.devices.manage"),
        ["GET,POST /admin/api-keys"] = AccessRule.Permission("identity.apikeys.manage"),
        ["GET,POST /admin/branches"] = AccessRule.Permission("queue.branch.manage"),
        ["GET,POST /admin/branches/new"] = AccessRule.Permission("queue.branch.create"),
        ["GET,POST /admin/branches/{BranchId:guid}"] = AccessRule.Permission("queue.branch.manage"),
        ["GET,POST /admin/branches/{BranchId:guid}/services/new"] = AccessRule.Permission("queue.branch.manage"),
        ["GET,POST /admin/branches/{BranchId:guid}/services/{ServiceId:guid}"] = AccessRule.Permission("queue.branch.manage"),
        ["GET,POST /admin/branches/{BranchId:guid}/counters/new"] = AccessRule.Permission("queue.branch.manage"),
        ["GET,POST /admin/branches/{BranchId:guid}/counters/{CounterId:guid}"] = AccessRule.Permission("queue.branch.manage"),

        ["GET,POST /admin/blocks"] = AccessRule.Permission("system.settings.manage"),

        // Security audit.
        ["GET,POST /audit"] = AccessRule.Permission("audit.ledger.read"),
        ["GET,POST /audit/ledger"] = AccessRule.Permission("audit.ledger.read"),
        ["GET,POST /audit/history"] = AccessRule.Permission("audit.ledger.read"),
        ["GET,POST /audit/chain"] = AccessRule.Permission("audit.ledger.read"),
        ["GET,POST /audit/alerts"] = AccessRule.Permission("audit.alerts.manage"),
        ["GET /audit/alerts/events"] = AccessRule.Permission("audit.alerts.manage"),
        ["GET,POST /audit/freezes"] = AccessRule.Permission("identity.staff.unfreeze"),

        // API.
        ["GET /api/v1/whoami"] = AccessRule.Authenticated,
        ["GET /api/v1/devices/me"] = AccessRule.Device,
    };
}
