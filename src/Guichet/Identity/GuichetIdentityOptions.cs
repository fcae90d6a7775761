using Guichet.Privacy.Access;
using Microsoft.Extensions.Options;

namespace Guichet.Identity;

/// <summary>Settings under <c>Identity:</c> in the configuration (see docs/access.md).</summary>
internal sealed class GuichetIdentityOptions
{
    public const string Section = "Identity";

    /// <summary>A session with no request for this long ends.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends this long after sign-in, active or not.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(10);

    /// <summary>Sensitive operations need the second factor again when it is older than this.</summary>
    public TimeSpan StepUpMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an enrolment or setup link stays valid.</summary>
    public TimeSpan EnrolmentLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a device enrolment code stays valid.</summary>
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Default lifetime of an API key.</summary>
    public TimeSpan ApiKeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Failed attempts on one account before it is locked.</summary>
    public int AccountFailureThreshold { get; set; } = 5;

    /// <summary>Failed attempts from one client address before it is locked.</summary>
    public int AddressFailureThreshold { get; set; } = 20;

    /// <summary>First lock duration; each further failure after a lock doubles it.</summary>
    public TimeSpan LockoutBase { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan LockoutMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Failures older than this are forgotten.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Sign-in, second-factor and enrolment form posts allowed per client address per minute.</summary>
    public int SignInPostsPerMinute { get; set; } = 30;

    /// <summary>Roles that must sign in with a passkey (TOTP alone is refused for them).</summary>
    public IList<StaffRole> PasskeyRequiredRoles { get; } = [];

    /// <summary>Origin printed in enrolment links by CLI verbs (serve uses its own address).</summary>
    public Uri? PublicOrigin { get; set; }
}

internal sealed class GuichetIdentityOptionsValidator : IValidateOptions<GuichetIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, GuichetIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IdleTimeout <= TimeSpan.Zero || options.IdleTimeout > options.AbsoluteTimeout)
        {
            failures.Add("Identity:IdleTimeout must be positive and no longer than Identity:AbsoluteTimeout.");
        }

        if (options.StepUpMaxAge <= TimeSpan.Zero)
        {
            failures.Add("Identity:StepUpMaxAge must be positive.");
        }

        if (options.AccountFailureThreshold < 1 || options.AddressFailureThreshold < options.AccountFailureThreshold)
        {
            failures.Add("Identity:AccountFailureThreshold must be at least 1 and no more than Identity:AddressFailureThreshold.");
        }

        if (options.LockoutBase <= TimeSpan.Zero || options.LockoutMax < options.LockoutBase)
        {
            failures.Add("Identity:LockoutBase must be positive and no longer than Identity:LockoutMax.");
        }

        if (options.EnrolmentLinkLifetime <= TimeSpan.Zero || options.DeviceCodeLifetime <= TimeSpan.Zero || options.ApiKeyLifetime <= TimeSpan.Zero)
        {
            failures.Add("Identity lifetimes must be positive.");
        }

        if (options.SignInPostsPerMinute < 1)
        {
            failures.Add("Identity:SignInPostsPerMinute must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
