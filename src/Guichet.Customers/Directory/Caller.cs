using System.Security.Claims;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Masking;

namespace Guichet.Customers.Directory;

/// <summary>
/// Who asks: their audit identity, their roles (what they see of each field is the kernel's
/// policy) and the branches in scope ("*" = all).
/// </summary>
internal sealed record Caller(AuditActor Actor, IReadOnlyList<StaffRole> Roles, bool AllBranches, IReadOnlyList<string> Branches)
{
    public string? ClientAddress { get; init; }

    public string? CorrelationId { get; init; }

    public static Caller FromPrincipal(ClaimsPrincipal user, string? clientAddress = null, string? correlationId = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var kind = user.FindFirst(GuichetClaimTypes.ActorKind)?.Value switch
        {
            "staff" => AuditActorKind.Staff,
            "device" => AuditActorKind.Device,
            "api-client" => AuditActorKind.ApiClient,
            _ => AuditActorKind.Anonymous,
        };
        var id = user.FindFirst(GuichetClaimTypes.ActorId)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "unknown";
        var roles = user.FindAll(ClaimTypes.Role)
            .Select(c => Enum.TryParse<StaffRole>(c.Value, ignoreCase: false, out var role) ? role : (StaffRole?)null)
            .OfType<StaffRole>()
            .Distinct()
            .ToList();
        var branches = user.FindAll(GuichetClaimTypes.Branch).Select(c => c.Value).ToList();
        return new Caller(new AuditActor(kind, id), roles, branches.Contains(GuichetClaimTypes.AllBranches), branches)
        {
            ClientAddress = clientAddress,
            CorrelationId = correlationId,
        };
    }

    public bool InScope(string branchId) => AllBranches || branchId == Domain.Customer.SharedBranch || Branches.Contains(branchId, StringComparer.Ordinal);

    /// <summary>May the caller register a customer in this branch (the shared marker needs every branch in scope).</summary>
    public bool MayRegisterIn(string branchId) => AllBranches || (branchId != Domain.Customer.SharedBranch && Branches.Contains(branchId, StringComparer.Ordinal));

    /// <summary>The caller's role that sees most of <paramref name="category"/> (a person may hold several roles).</summary>
    public StaffRole? BestRoleFor(PersonalDataCategory category) =>
        Roles.Count == 0 ? null : Roles.MaxBy(role => (int)PersonalDataPolicy.For(role, category));
}
