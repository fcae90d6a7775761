using System.Security.Claims;
using System.Text.RegularExpressions;
using Guichet.Identity.Data;
using Guichet.Identity.Sessions;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guichet.Identity.Accounts;

/// <summary>The outcome of an account operation, with a message safe to show.</summary>
internal sealed record AccountResult(bool Succeeded, string? Error = null, string? UserId = null, string? EnrolmentToken = null)
{
    public static AccountResult Fail(string error) => new(false, error);
}

/// <summary>
/// Staff accounts: invitations, enrolment links, the first administrator, roles and branch
/// scope, freezing. There are no default passwords: every account starts with a one-time
/// enrolment link that lets its holder choose a password and enrol a second factor.
/// </summary>
internal sealed partial class StaffAccounts(
    GuichetIdentityDbContext db,
    UserManager<GuichetUser> users,
    RoleManager<IdentityRole> roles,
    StaffSessions sessions,
    IdentityAudit audit,
    TimeProvider time,
    IOptionsMonitor<GuichetIdentityOptions> options)
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,63}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^([A-Za-z0-9][A-Za-z0-9_-]{0,63}|\\*)$")]
    private static partial Regex BranchPattern();

    public static bool IsValidUserName(string? name) => name is not null && UserNamePattern().IsMatch(name);

    public static bool IsValidBranch(string? branch) => branch is not null && BranchPattern().IsMatch(branch);

    public async Task EnsureRolesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var role in Enum.GetNames<StaffRole>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    public Task<bool> AnyAdministratorAsync(CancellationToken cancellationToken = default)
    {
        var adminRole = users.NormalizeName(nameof(StaffRole.Administrator));
        return db.UserRoles.AnyAsync(
            ur => db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == adminRole),
            cancellationToken);
    }

    /// <summary>Creates a staff account with roles and branch scope and returns its enrolment link secret.</summary>
    public async Task<AccountResult> InviteAsync(string userName, IReadOnlyCollection<StaffRole> staffRoles, IReadOnlyCollection<string> branches, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staffRoles);
        ArgumentNullException.ThrowIfNull(branches);
        if (!IsValidUserName(userName))
        {
            return AccountResult.Fail("A user name is 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'.");
        }

        if (staffRoles.Count == 0)
        {
            return AccountResult.Fail("Choose at least one role.");
        }

        if (branches.Count == 0 || !branches.All(IsValidBranch))
        {
            return AccountResult.Fail("Choose at least one branch (a branch id, or * for every branch).");
        }

        await EnsureRolesAsync(cancellationToken);
        var user = new GuichetUser
        {
            UserName = userName,
            CreatedAt = time.GetUtcNow(),
            LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            await audit.RecordAsync("staff.invite", AuditOutcome.Failure, actor, "user", cancellationToken: cancellationToken);
            return AccountResult.Fail(created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                ? "That user name is taken."
                : "The account could not be created.");
        }

        await users.AddToRolesAsync(user, staffRoles.Select(r => r.ToString()).Distinct());
        await users.AddClaimsAsync(user, branches.Distinct(StringComparer.Ordinal).Select(b => new Claim(GuichetClaimTypes.Branch, b)));
        await audit.RecordAsync("staff.invite", AuditOutcome.Success, actor, "user", user.Id, cancellationToken: cancellationToken);
        var token = await IssueEnrolmentAsync(user.Id, actor, cancellationToken);
        return new AccountResult(true, UserId: user.Id, EnrolmentToken: token);
    }

    /// <summary>A new enrolment link for an account (re-enrolment resets its factors); older links stop working.</summary>
    public async Task<string> IssueEnrolmentAsync(string userId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await db.EnrolmentTokens.Where(t => t.UserId == userId && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        var secret = Secrets.New();
        db.EnrolmentTokens.Add(new EnrolmentToken
        {
            Id = Guid.NewGuid(),
            Purpose = EnrolmentPurpose.Enrol,
            UserId = userId,
            SecretHash = Secrets.Hash(secret),
            CreatedAt = now,
            ExpiresAt = now + options.CurrentValue.EnrolmentLinkLifetime,
            CreatedBy = actor.Id,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync("staff.enrolment.issue", AuditOutcome.Success, actor, "user", userId, cancellationToken: cancellationToken);
        return secret;
    }

    /// <summary>On a fresh installation, a one-time link to create the first administrator; null once one exists.</summary>
    public async Task<string?> IssueSetupTokenAsync(CancellationToken cancellationToken = default)
    {
        if (await AnyAdministratorAsync(cancellationToken))
        {
            return null;
        }

        var now = time.GetUtcNow();
        await db.EnrolmentTokens.Where(t => t.Purpose == EnrolmentPurpose.Setup && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        var secret = Secrets.New();
        db.EnrolmentTokens.Add(new EnrolmentToken
        {
            Id = Guid.NewGuid(),
            Purpose = EnrolmentPurpose.Setup,
            SecretHash = Secrets.Hash(secret),
            CreatedAt = now,
            ExpiresAt = now + options.CurrentValue.EnrolmentLinkLifetime,
            CreatedBy = AuditActor.System.Id,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync("staff.setup.issue", AuditOutcome.Success, AuditActor.System, cancellationToken: cancellationToken);
        return secret;
    }

    /// <summary>Finds a link that is unused and unexpired; null (and an audit entry) otherwise.</summary>
    public async Task<EnrolmentToken?> FindValidTokenAsync(string? secret, EnrolmentPurpose purpose, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > 128)
        {
            await audit.RecordAsync("staff.enrolment.use", AuditOutcome.Failure, cancellationToken: cancellationToken);
            return null;
        }

        var hash = Secrets.Hash(secret);
        var now = time.GetUtcNow();
        var token = await db.EnrolmentTokens.AsNoTracking().FirstOrDefaultAsync(t => t.SecretHash == hash && t.Purpose == purpose, cancellationToken);
        if (token is null || token.UsedAt is not null || token.ExpiresAt <= now)
        {
            await audit.RecordAsync("staff.enrolment.use", AuditOutcome.Failure, resourceType: "enrolment", resourceId: token?.Id.ToString(), cancellationToken: cancellationToken);
            return null;
        }

        return token;
    }

    /// <summary>Marks a link used; false when it was used concurrently (single use holds under races).</summary>
    public async Task<bool> ConsumeAsync(Guid tokenId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var consumed = await db.EnrolmentTokens.Where(t => t.Id == tokenId && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        return consumed == 1;
    }

    /// <summary>Completes setup: consumes the setup link, creates the first administrator and returns their enrolment link.</summary>
    public async Task<AccountResult> CompleteSetupAsync(string? secret, string userName, CancellationToken cancellationToken = default)
    {
        var token = await FindValidTokenAsync(secret, EnrolmentPurpose.Setup, cancellationToken);
        if (token is null || await AnyAdministratorAsync(cancellationToken))
        {
            return AccountResult.Fail("This setup link is not valid any more.");
        }

        if (!IsValidUserName(userName))
        {
            return AccountResult.Fail("A user name is 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'.");
        }

        if (!await ConsumeAsync(token.Id, cancellationToken))
        {
            return AccountResult.Fail("This setup link is not valid any more.");
        }

        return await InviteAsync(userName, [StaffRole.Administrator], [GuichetClaimTypes.AllBranches], AuditActor.System, cancellationToken);
    }

    public async Task<(IReadOnlyList<StaffRole> Roles, IReadOnlyList<string> Branches)> GetAssignmentAsync(GuichetUser user)
    {
        var roleNames = await users.GetRolesAsync(user);
        var claims = await users.GetClaimsAsync(user);
        return (
            [.. roleNames.Select(r => Enum.TryParse<StaffRole>(r, out var role) ? role : (StaffRole?)null).OfType<StaffRole>().Order()],
            [.. claims.Where(c => c.Type == GuichetClaimTypes.Branch).Select(c => c.Value).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Replaces roles and branch scope; the account's sessions end so the change applies at once.</summary>
    public async Task<AccountResult> ChangeAssignmentAsync(string userId, IReadOnlyCollection<StaffRole> staffRoles, IReadOnlyCollection<string> branches, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staffRoles);
        ArgumentNullException.ThrowIfNull(branches);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AccountResult.Fail("No such account.");
        }

        if (staffRoles.Count == 0 || branches.Count == 0 || !branches.All(IsValidBranch))
        {
            return AccountResult.Fail("Choose at least one role and one branch.");
        }

        if (!staffRoles.Contains(StaffRole.Administrator) && (await users.GetRolesAsync(user)).Contains(nameof(StaffRole.Administrator)) && await CountAdministratorsAsync(cancellationToken) <= 1)
        {
            return AccountResult.Fail("This is the last administrator; appoint another one first.");
        }

        await EnsureRolesAsync(cancellationToken);
        var (currentRoles, currentBranches) = await GetAssignmentAsync(user);
        await users.RemoveFromRolesAsync(user, currentRoles.Except(staffRoles).Select(r => r.ToString()));
        await users.AddToRolesAsync(user, staffRoles.Except(currentRoles).Select(r => r.ToString()).Distinct());
        var branchClaims = (await users.GetClaimsAsync(user)).Where(c => c.Type == GuichetClaimTypes.Branch && !branches.Contains(c.Value)).ToList();
        if (branchClaims.Count > 0)
        {
            await users.RemoveClaimsAsync(user, branchClaims);
        }

        var added = branches.Distinct(StringComparer.Ordinal).Except(currentBranches, StringComparer.Ordinal).Select(b => new Claim(GuichetClaimTypes.Branch, b)).ToList();
        if (added.Count > 0)
        {
            await users.AddClaimsAsync(user, added);
        }

        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, "role-change", cancellationToken: cancellationToken);
        await audit.RecordAsync("staff.roles.change", AuditOutcome.Success, actor, "user", user.Id, cancellationToken: cancellationToken);
        return new AccountResult(true, UserId: user.Id);
    }

    public Task<int> CountAdministratorsAsync(CancellationToken cancellationToken = default)
    {
        var adminRole = users.NormalizeName(nameof(StaffRole.Administrator));
        return db.UserRoles.CountAsync(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == adminRole), cancellationToken);
    }
}
