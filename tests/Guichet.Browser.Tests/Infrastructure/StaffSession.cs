using Guichet.Identity.Accounts;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests.Infrastructure;

/// <summary>A counter staff member created for a test, with what their authenticator app holds.</summary>
public sealed class StaffMember(string userName, string password, string authenticatorKey)
{
    public string UserName { get; } = userName;

    public string Password { get; } = password;

    public string AuthenticatorKey { get; } = authenticatorKey;

    /// <summary>The last time step used: the server accepts each code once.</summary>
    public long LastStep { get; set; }
}

/// <summary>
/// Counter staff in the browser, through the real pages: an administrator's invitation, the
/// invitee's enrolment (password, authenticator code) and the staff sign-in (password, then
/// a code). Nothing bypasses authentication.
/// </summary>
public static class StaffSession
{
    /// <summary>Invites counter staff for <paramref name="branchId"/> and enrols them in <paramref name="page"/>, which ends signed in.</summary>
    public static Task<StaffMember> EnrolCounterStaffAsync(HallServer server, IPage page, string branchId) =>
        EnrolAsync(server, page, StaffRole.CounterStaff, branchId);

    /// <summary>Invites a staff member with <paramref name="role"/> for <paramref name="branchId"/> ("*": all) and enrols them in <paramref name="page"/>.</summary>
    public static async Task<StaffMember> EnrolAsync(HallServer server, IPage page, StaffRole role, string branchId)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(page);
        var userName = role.ToString().ToLowerInvariant()[..5] + "-" + Guid.NewGuid().ToString("N")[..12];
        string token;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
            var invitation = await accounts.InviteAsync(userName, [role], [branchId], AuditActor.System);
            Assert.True(invitation.Succeeded, invitation.Error);
            token = invitation.EnrolmentToken!;
        }

        await page.GotoAsync("/account/enrol?token=" + Uri.EscapeDataString(token));
        var password = "Test passphrase " + Guid.NewGuid().ToString("N")[..16];
        await page.GetByLabel("New password").FillAsync(password);
        await page.GetByLabel("Repeat it").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        var key = (await page.Locator("#authenticator-key").TextContentAsync() ?? "").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var staff = new StaffMember(userName, password, key);
        await page.GetByLabel("Authenticator code").FillAsync(await NextCodeAsync(staff));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.Locator(".recovery-code").First).ToBeVisibleAsync();
        return staff;
    }

    /// <summary>Fills the staff sign-in page <paramref name="page"/> is on: password, then an authenticator code.</summary>
    public static async Task SignInAsync(IPage page, StaffMember staff)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(staff);
        await page.GetByLabel("User name").FillAsync(staff.UserName);
        await page.GetByLabel("Password").FillAsync(staff.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Authenticator code").FillAsync(await NextCodeAsync(staff));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>The code for the current time step, waiting for the next step when this one was used.</summary>
    private static async Task<string> NextCodeAsync(StaffMember staff)
    {
        var now = TimeProvider.System.GetUtcNow();
        var step = Totp.Step(now);
        if (step <= staff.LastStep)
        {
            step = staff.LastStep + 1;
            var wait = DateTimeOffset.FromUnixTimeSeconds(step * 30) - now;
            await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
        }

        staff.LastStep = step;
        return Totp.Code(staff.AuthenticatorKey, step);
    }
}
