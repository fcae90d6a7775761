namespace Guichet.Identity.Access;

/// <summary>Policy names other modules may require besides the permission policies.</summary>
public static class GuichetPolicies
{
    /// <summary>
    /// The second factor must have been proven within <c>Identity:StepUpMaxAge</c> (5 minutes by
    /// default). Combine with a permission policy on reveal, export, role-change and key endpoints.
    /// A page answer redirects to the step-up page; an API answer is 401 with
    /// <c>WWW-Authenticate: step-up</c>.
    /// </summary>
    public const string StepUp = "guichet.step-up";

    /// <summary>Any signed-in staff member (two factors done), whatever the role.</summary>
    public const string Staff = "guichet.staff";

    /// <summary>Any enrolled device.</summary>
    public const string Device = "guichet.device";
}

/// <summary>Claim types the host adds for its own bookkeeping.</summary>
internal static class IdentityClaimTypes
{
    /// <summary>The staff session id (see <c>StaffSession</c>).</summary>
    public const string Session = "guichet:session";

    /// <summary>When the second factor was last proven, Unix seconds.</summary>
    public const string SecondFactorAt = "guichet:mfa-at";
}
