using Guichet.Identity.Data;
using Guichet.Identity.Sessions;
using Guichet.Privacy.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.SignIn;

internal enum SignInStep
{
    Failed,
    SecondFactorRequired,
    SignedIn,
}

/// <summary>
/// The sign-in steps the pages call. Every answer to a failure is the same whether the account
/// exists, is locked, frozen or not enrolled, and an unknown user costs the same password hash
/// as a known one. Attempts go through <see cref="SignInThrottleService"/> before any secret is checked.
/// </summary>
internal sealed class StaffSignIn(
    SignInManager<GuichetUser> signInManager,
    UserManager<GuichetUser> users,
    SignInThrottleService throttle,
    StaffSessions sessions,
    IdentityAudit audit,
    IOptionsMonitor<GuichetIdentityOptions> options,
    IHttpContextAccessor accessor)
{
    public const string GenericFailure = "Sign-in failed. Check the user name, password and code, or try again later.";

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<GuichetUser>().HashPassword(new GuichetUser(), "not-a-real-password-0000"));

    private string AddressKey => SignInThrottleService.AddressKey(accessor.HttpContext?.Connection.RemoteIpAddress?.ToString());

    public async Task<SignInStep> PasswordAsync(string? userName, string? password, CancellationToken cancellationToken = default)
    {
        var normalized = users.NormalizeName((userName ?? "").Trim()) ?? "";
        var accountKey = SignInThrottleService.AccountKey(normalized);
        if (normalized.Length == 0 || normalized.Length > 64 || string.IsNullOrEmpty(password) || password.Length > 1024)
        {
            return SignInStep.Failed;
        }

        if (!await throttle.TryBeginAttemptAsync(accountKey, AddressKey, cancellationToken))
        {
            await audit.RecordAsync("auth.lockout", AuditOutcome.Denied, cancellationToken: cancellationToken);
            return SignInStep.Failed;
        }

        var user = await users.FindByNameAsync(normalized);
        if (user is null)
        {
            // Same work as for a real account, so timing does not reveal which names exist.
            users.PasswordHasher.VerifyHashedPassword(new GuichetUser(), DummyHash.Value, password);
            await audit.RecordAsync("auth.signin.password", AuditOutcome.Failure, cancellationToken: cancellationToken);
            return SignInStep.Failed;
        }

        var result = await signInManager.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (result.RequiresTwoFactor)
        {
            // The account stays counted until the second factor is done too.
            await throttle.PasswordSucceededAsync(AddressKey, cancellationToken);
            return SignInStep.SecondFactorRequired;
        }

        await audit.RecordAsync("auth.signin.password", AuditOutcome.Failure, new AuditActor(AuditActorKind.Anonymous, "anonymous"), "user", user.Id, cancellationToken: cancellationToken);
        return SignInStep.Failed;
    }

    /// <summary>The authenticator code (or a recovery code) after a correct password.</summary>
    public async Task<SignInStep> SecondFactorAsync(string? code, bool recoveryCode, CancellationToken cancellationToken = default)
    {
        var user = await signInManager.GetTwoFactorAuthenticationUserAsync();
        if (user is null || string.IsNullOrWhiteSpace(code) || code.Length > 64)
        {
            return SignInStep.Failed;
        }

        var accountKey = SignInThrottleService.AccountKey(user.NormalizedUserName ?? "");
        var secondFactorKey = SignInThrottleService.SecondFactorKey(user.NormalizedUserName ?? "");
        if (!await throttle.TryBeginAttemptAsync(secondFactorKey, AddressKey, cancellationToken))
        {
            await audit.RecordAsync("auth.lockout", AuditOutcome.Denied, resourceType: "user", resourceId: user.Id, cancellationToken: cancellationToken);
            return SignInStep.Failed;
        }

        if (!recoveryCode && await RequiresPasskeyAsync(user))
        {
            await audit.RecordAsync("auth.signin.second-factor", AuditOutcome.Denied, resourceType: "user", resourceId: user.Id, cancellationToken: cancellationToken);
            return SignInStep.Failed;
        }

        var context = accessor.HttpContext!;
        context.Items[GuichetSignInManager.MethodItem] = recoveryCode ? "recovery-code" : "totp";
        var result = recoveryCode
            ? await signInManager.TwoFactorRecoveryCodeSignInAsync(code.Replace(" ", "", StringComparison.Ordinal))
            : await signInManager.TwoFactorAuthenticatorSignInAsync(code.Replace(" ", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false);
        if (!result.Succeeded)
        {
            await audit.RecordAsync("auth.signin.second-factor", AuditOutcome.Failure, resourceType: "user", resourceId: user.Id, cancellationToken: cancellationToken);
            return SignInStep.Failed;
        }

        await throttle.SucceededAsync(accountKey, AddressKey, cancellationToken, secondFactorKey);
        if (recoveryCode)
        {
            await audit.RecordAsync("auth.recovery-code.use", AuditOutcome.Success, IdentityAudit.Staff(user.Id), "user", user.Id, cancellationToken: cancellationToken);
        }

        return SignInStep.SignedIn;
    }

    public async Task<SignInStep> PasskeyAsync(string credentialJson, CancellationToken cancellationToken = default)
    {
        const string passkeyKey = "passkey";
        if (!await throttle.TryBeginAttemptAsync(SignInThrottleService.AccountKey(passkeyKey + ":" + AddressKey), AddressKey, cancellationToken))
        {
            await audit.RecordAsync("auth.lockout", AuditOutcome.Denied, cancellationToken: cancellationToken);
            return SignInStep.Failed;
        }

        accessor.HttpContext!.Items[GuichetSignInManager.MethodItem] = "passkey";
        var result = await signInManager.PasskeySignInAsync(credentialJson);
        if (!result.Succeeded)
        {
            await audit.RecordAsync("auth.signin.passkey", AuditOutcome.Failure, cancellationToken: cancellationToken);
            return SignInStep.Failed;
        }

        await throttle.SucceededAsync(SignInThrottleService.AccountKey(passkeyKey + ":" + AddressKey), AddressKey, cancellationToken);
        return SignInStep.SignedIn;
    }

    /// <summary>Proves the second factor again within a session (step-up).</summary>
    public async Task<bool> StepUpAsync(GuichetUser user, string sessionId, string? code, string? passkeyJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var accountKey = SignInThrottleService.SecondFactorKey(user.NormalizedUserName ?? "");
        if (!await throttle.TryBeginAttemptAsync(accountKey, AddressKey, cancellationToken))
        {
            await audit.RecordAsync("auth.lockout", AuditOutcome.Denied, IdentityAudit.Staff(user.Id), "user", user.Id, cancellationToken: cancellationToken);
            return false;
        }

        bool verified;
        if (!string.IsNullOrEmpty(passkeyJson))
        {
            var assertion = await signInManager.PerformPasskeyAssertionAsync(passkeyJson);
            verified = assertion.Succeeded && assertion.User.Id == user.Id;
        }
        else
        {
            verified = !string.IsNullOrWhiteSpace(code) && !await RequiresPasskeyAsync(user) &&
                await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, code.Replace(" ", "", StringComparison.Ordinal));
        }

        await audit.RecordAsync("auth.step-up", verified ? AuditOutcome.Success : AuditOutcome.Failure, IdentityAudit.Staff(user.Id), "session", sessionId, cancellationToken: cancellationToken);
        if (!verified)
        {
            return false;
        }

        await throttle.SucceededAsync(accountKey, AddressKey, cancellationToken);
        await sessions.StepUpAsync(sessionId, cancellationToken);
        await signInManager.RefreshSignInAsync(user);
        return true;
    }

    public async Task<bool> RequiresPasskeyAsync(GuichetUser user)
    {
        var required = options.CurrentValue.PasskeyRequiredRoles;
        if (required.Count == 0)
        {
            return false;
        }

        var roles = await users.GetRolesAsync(user);
        return required.Any(r => roles.Contains(r.ToString()));
    }
}
