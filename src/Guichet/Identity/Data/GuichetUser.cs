using Microsoft.AspNetCore.Identity;

namespace Guichet.Identity.Data;

/// <summary>
/// A staff account. Identity keeps the password hash, security stamp, authenticator key,
/// recovery codes and passkeys; Guichet adds enrolment state and the replay guard for TOTP.
/// Staff accounts carry no e-mail or phone: enrolment links are handed over by an administrator.
/// </summary>
internal sealed class GuichetUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set once the account has a password and a second factor; nothing is reachable before.</summary>
    public DateTimeOffset? EnrolledAt { get; set; }

    /// <summary>Set while the account is frozen (disabled by an administrator or an anomaly response).</summary>
    public DateTimeOffset? FrozenAt { get; set; }

    /// <summary>The last TOTP time step accepted, so a code cannot be used twice (RFC 6238 §5.2).</summary>
    public long LastTotpTimeStep { get; set; }
}
