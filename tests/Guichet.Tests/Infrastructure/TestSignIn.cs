using System.Net;
using System.Text.RegularExpressions;
using Guichet.Identity.Accounts;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Guichet.Tests.Infrastructure;

/// <summary>A staff member created for a test, with the secrets an authenticator app would hold.</summary>
public sealed class TestStaff(string userId, string userName, string password, string authenticatorKey, IReadOnlyList<string> recoveryCodes)
{
    public string UserId { get; } = userId;

    public string UserName { get; } = userName;

    public string Password { get; } = password;

    public string AuthenticatorKey { get; } = authenticatorKey;

    public IReadOnlyList<string> RecoveryCodes { get; } = recoveryCodes;

    /// <summary>The last TOTP time step used: the server accepts each step once.</summary>
    public long LastStep { get; set; }
}

/// <summary>
/// Creates staff accounts through the real path (an administrator's invitation, then the
/// invitee's enrolment over HTTPS: password, authenticator code) and signs them in for real
/// (password, then a TOTP code computed here). No test bypasses authentication.
/// </summary>
public static partial class TestSignIn
{
    public const string DefaultBranch = "branch-a";

    [GeneratedRegex("<kbd id=\"authenticator-key\">([a-z2-7 ]+)</kbd>")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<code class=\"recovery-code\">([^<]+)</code>")]
    private static partial Regex RecoveryCodePattern();

    /// <summary>A signed-in HTTPS client for a new staff member with <paramref name="role"/> in <paramref name="branches"/> (default: branch-a).</summary>
    public static async Task<(TestStaff Staff, HttpClient Client)> CreateSignedInAsync(this GuichetServer server, StaffRole role, params string[] branches)
    {
        ArgumentNullException.ThrowIfNull(server);
        var token = await server.InviteAsync([role], branches.Length == 0 ? [DefaultBranch] : branches);
        return await server.EnrolAsync(token.UserName, token.Token);
    }

    /// <summary>What an administrator does (admin page or <c>guichet admin invite</c>): returns the enrolment link secret.</summary>
    public static async Task<(string UserName, string Token)> InviteAsync(this GuichetServer server, StaffRole[] roles, string[] branches, string? userName = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(roles);
        userName ??= $"{roles[0].ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..Math.Min(40, roles[0].ToString().Length + 13)];
        await using var scope = server.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
        var result = await accounts.InviteAsync(userName, roles, branches, AuditActor.System);
        Assert.True(result.Succeeded, result.Error);
        return (userName, result.EnrolmentToken!);
    }

    /// <summary>The invitee's side: opens the link, chooses a password, enrols the authenticator; the client ends signed in.</summary>
    public static async Task<(TestStaff Staff, HttpClient Client)> EnrolAsync(this GuichetServer server, string userName, string token)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = server.CreateClient();
        var url = "/account/enrol?token=" + Uri.EscapeDataString(token);
        var password = $"Test passphrase {Guid.NewGuid():N}"[..32];
        using var passwordResponse = await HtmlForms.SubmitAsync(client, url, "enrol-password", new Dictionary<string, string>
        {
            ["PasswordInput.Password"] = password,
            ["PasswordInput.Confirm"] = password,
        });
        var factorPage = await passwordResponse.Content.ReadAsStringAsync();
        var keyMatch = KeyPattern().Match(factorPage);
        Assert.True(keyMatch.Success, "The enrolment page did not show an authenticator key: " + passwordResponse.StatusCode + factorPage[Math.Max(0, factorPage.IndexOf("<h1", StringComparison.Ordinal))..]);
        var key = keyMatch.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

        var staff = new TestStaff("", userName, password, key, []);
        using var codeResponse = await HtmlForms.SubmitAsync(client, url, "enrol-totp", new Dictionary<string, string>
        {
            ["CodeInput.Code"] = await server.NextCodeAsync(staff),
        }, factorPage);
        var donePage = await codeResponse.Content.ReadAsStringAsync();
        var codes = RecoveryCodePattern().Matches(donePage).Select(m => m.Groups[1].Value).ToList();
        Assert.True(codes.Count == 10, "Enrolment did not finish with recovery codes: " + codeResponse.StatusCode + donePage[Math.Max(0, donePage.IndexOf("<h1", StringComparison.Ordinal))..]);

        var userId = await server.UserIdAsync(userName);
        return (new TestStaff(userId, userName, password, key, codes) { LastStep = staff.LastStep }, client);
    }

    /// <summary>A fresh client signed in with password and a TOTP code.</summary>
    public static async Task<HttpClient> SignInAsync(this GuichetServer server, TestStaff staff)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(staff);
        var client = server.CreateClient();
        var outcome = await server.TrySignInAsync(client, staff);
        Assert.True(outcome == HttpStatusCode.OK, $"Sign-in failed ({outcome}).");
        return client;
    }

    /// <summary>Signs in on <paramref name="client"/>; OK when the second factor was accepted, Unauthorized when refused at either step.</summary>
    public static async Task<HttpStatusCode> TrySignInAsync(this GuichetServer server, HttpClient client, TestStaff staff, string? password = null, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(staff);
        using var passwordResponse = await HtmlForms.SubmitAsync(client, "/account/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = staff.UserName,
            ["Input.Password"] = password ?? staff.Password,
        });
        if (passwordResponse.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return HttpStatusCode.TooManyRequests;
        }

        var secondPage = passwordResponse.RequestMessage!.RequestUri!;
        if (!secondPage.AbsolutePath.Equals("/account/login-2fa", StringComparison.Ordinal))
        {
            return HttpStatusCode.Unauthorized;
        }

        using var codeResponse = await HtmlForms.SubmitAsync(client, secondPage.PathAndQuery, "login-2fa", new Dictionary<string, string>
        {
            ["Input.Code"] = code ?? await server.NextCodeAsync(staff),
        }, await passwordResponse.Content.ReadAsStringAsync());
        return codeResponse.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/account/login", StringComparison.Ordinal)
            ? HttpStatusCode.Unauthorized
            : codeResponse.StatusCode;
    }

    /// <summary>The authenticator code for the server's current time, never reusing a step (waits or moves fake time for the next one).</summary>
    public static async Task<string> NextCodeAsync(this GuichetServer server, TestStaff staff)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(staff);
        var time = server.Services.GetRequiredService<TimeProvider>();
        var now = Totp.Step(time.GetUtcNow());
        var step = Math.Max(now, staff.LastStep + 1);
        if (step > now + 1)
        {
            if (time is FakeTimeProvider fake)
            {
                fake.Advance(TimeSpan.FromSeconds(30));
            }
            else
            {
                await Task.Delay(TimeSpan.FromSeconds(31 - (time.GetUtcNow().ToUnixTimeSeconds() % 30)));
            }

            now = Totp.Step(time.GetUtcNow());
            step = Math.Max(now, staff.LastStep + 1);
        }

        staff.LastStep = step;
        return Totp.Code(staff.AuthenticatorKey, step);
    }

    private static async Task<string> UserIdAsync(this GuichetServer server, string userName)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Guichet.Identity.Data.GuichetUser>>();
        return (await users.FindByNameAsync(userName))!.Id;
    }
}
