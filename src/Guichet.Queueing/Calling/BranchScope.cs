using System.Security.Claims;
using Guichet.Privacy.Access;

namespace Guichet.Queueing.Calling;

/// <summary>The branches a staff caller may see, from their <c>guichet:branch</c> claims ("*" = all).</summary>
internal sealed record BranchScope(bool AllBranches, IReadOnlyList<Guid> BranchIds)
{
    public static BranchScope Everything { get; } = new(true, []);

    public static BranchScope Of(params Guid[] branchIds) => new(false, branchIds);

    /// <summary>Whether the caller may see this branch (the in-memory form of <c>InScope</c>).</summary>
    public bool Includes(Guid branchId) => AllBranches || BranchIds.Contains(branchId);

    public static BranchScope FromPrincipal(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var values = user.FindAll(GuichetClaimTypes.Branch).Select(c => c.Value).ToList();
        if (values.Contains(GuichetClaimTypes.AllBranches))
        {
            return Everything;
        }

        return new(false, [.. values.Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)]);
    }
}

/// <summary>Who acts at a counter: their branch scope and their actor id (for history and audit).</summary>
internal sealed record StaffActor(BranchScope Scope, string ActorId, string? ClientAddress = null)
{
    public static StaffActor FromPrincipal(ClaimsPrincipal user, string? clientAddress)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirst(GuichetClaimTypes.ActorId)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "unknown";
        return new(BranchScope.FromPrincipal(user), id, clientAddress);
    }
}
