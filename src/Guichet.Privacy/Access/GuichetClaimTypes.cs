namespace Guichet.Privacy.Access;

/// <summary>
/// Claim types every module reads from the signed-in principal. The host issues them
/// (staff sign-in, device and API-key authentication); modules scope their queries by them.
/// </summary>
public static class GuichetClaimTypes
{
    /// <summary>A branch id the principal may act in; one claim per branch.</summary>
    public const string Branch = "guichet:branch";

    /// <summary>Value of <see cref="Branch"/> that grants every branch (administrative roles only).</summary>
    public const string AllBranches = "*";

    /// <summary>A permission the principal holds; authorization policies are named after permissions.</summary>
    public const string Permission = "guichet:permission";

    /// <summary>What kind of actor this is: staff, device or api-client (see <c>AuditActorKind</c>).</summary>
    public const string ActorKind = "guichet:actor";

    /// <summary>Stable id of the actor, used in audit entries.</summary>
    public const string ActorId = "guichet:actor-id";
}
