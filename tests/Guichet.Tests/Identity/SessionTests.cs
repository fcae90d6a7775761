using System.Net;
using Guichet.Identity.Accounts;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Identity;

public sealed class SessionTests
{
    [Fact]
    public async Task The_staff_cookie_is_secure_httponly_and_samesite_strict()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.CounterStaff);
        // Sign in again without following redirects, to read the Set-Cookie header a browser receives.
        using var probe = server.CreateClient(allowRedirects: false);
        using var passwordStep = await HtmlForms.SubmitAsync(probe, "/account/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = staff.UserName,
            ["Input.Password"] = staff.Password,
        });
        var twoFactorUrl = passwordStep.Headers.Location!.IsAbsoluteUri ? passwordStep.Headers.Location.PathAndQuery : passwordStep.Headers.Location.ToString();
        var twoFactorPage = await probe.GetStringAsync(new Uri(twoFactorUrl, UriKind.Relative));
        using var codeStep = await HtmlForms.SubmitAsync(probe, twoFactorUrl, "login-2fa", new Dictionary<string, string>
        {
            ["Input.Code"] = await server.NextCodeAsync(staff),
        }, twoFactorPage);

        var cookie = codeStep.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-guichet=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_session_ends_after_the_idle_timeout()
    {
        var (server, time) = await FakeTimeServer.StartAsync();
        await using var _ = server;
        var (_, client) = await server.CreateSignedInAsync(StaffRole.CounterStaff);
        Assert.True(await IsSignedInAsync(client));

        time.Advance(TimeSpan.FromMinutes(14));
        Assert.True(await IsSignedInAsync(client));
        time.Advance(TimeSpan.FromMinutes(16));

        Assert.False(await IsSignedInAsync(client));
    }

    [Fact]
    public async Task A_session_ends_after_the_absolute_timeout_even_when_active()
    {
        var (server, time) = await FakeTimeServer.StartAsync(new Dictionary<string, string?> { ["Identity:AbsoluteTimeout"] = "01:00:00" });
        await using var _ = server;
        var (_, client) = await server.CreateSignedInAsync(StaffRole.CounterStaff);

        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMinutes(10));
            Assert.True(await IsSignedInAsync(client), $"signed out after {(i + 1) * 10} min");
        }

        time.Advance(TimeSpan.FromMinutes(11));
        Assert.False(await IsSignedInAsync(client));
    }

    [Fact]
    public async Task A_role_change_ends_the_members_sessions_and_the_new_sign_in_carries_the_new_permissions()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, client) = await server.CreateSignedInAsync(StaffRole.CounterStaff);
        Assert.Contains("queue.counter.operate", await client.GetStringAsync(new Uri("/api/v1/whoami", UriKind.Relative)), StringComparison.Ordinal);

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .ChangeAssignmentAsync(staff.UserId, [StaffRole.QualityInspector], ["branch-b"], AuditActor.System);
            Assert.True(result.Succeeded);
        }

        Assert.False(await IsSignedInAsync(client));
        using var again = await server.SignInAsync(staff);
        var whoami = await again.GetStringAsync(new Uri("/api/v1/whoami", UriKind.Relative));
        Assert.Contains("callrecords.review", whoami, StringComparison.Ordinal);
        Assert.DoesNotContain("queue.counter.operate", whoami, StringComparison.Ordinal);
        Assert.Contains("branch-b", whoami, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_and_the_security_page_lists_sign_ins()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, first) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);
        using var second = await server.SignInAsync(staff);

        var page = await second.GetStringAsync(new Uri("/account/security", UriKind.Relative));
        Assert.Contains("this session", page, StringComparison.Ordinal);
        Assert.Contains("totp", page, StringComparison.Ordinal);
        using var response = await HtmlForms.SubmitAsync(second, "/account/security", "sign-out-everywhere", new Dictionary<string, string>(), page);

        Assert.False(await IsSignedInAsync(first));
        Assert.False(await IsSignedInAsync(second));
    }

    [Fact]
    public async Task A_frozen_account_loses_its_sessions_and_cannot_sign_in()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, client) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);

        await using (var scope = server.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<IAccountFreezer>().FreezeAsync(staff.UserId, "test", AuditActor.System));
        }

        Assert.False(await IsSignedInAsync(client));
        using var fresh = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(fresh, staff));
    }

    [Fact]
    public async Task Step_up_is_required_when_the_second_factor_is_older_than_five_minutes_and_honoured_after()
    {
        var (server, time) = await FakeTimeServer.StartAsync();
        await using var _ = server;
        var (staff, client) = await server.CreateSignedInAsync(StaffRole.CounterStaff);

        using (var fresh = await client.GetAsync(new Uri("/account/manage/recovery-codes", UriKind.Relative)))
        {
            Assert.Equal("/account/manage/recovery-codes", fresh.RequestMessage!.RequestUri!.AbsolutePath);
        }

        time.Advance(TimeSpan.FromMinutes(6));
        using var stale = await client.GetAsync(new Uri("/account/manage/recovery-codes", UriKind.Relative));
        Assert.Equal("/account/step-up", stale.RequestMessage!.RequestUri!.AbsolutePath);

        var stepUpUrl = stale.RequestMessage.RequestUri.PathAndQuery;
        using var confirmed = await HtmlForms.SubmitAsync(client, stepUpUrl, "step-up", new Dictionary<string, string>
        {
            ["Input.Code"] = await server.NextCodeAsync(staff),
        }, await stale.Content.ReadAsStringAsync());

        Assert.Equal("/account/manage/recovery-codes", confirmed.RequestMessage!.RequestUri!.AbsolutePath);
    }

    private static async Task<bool> IsSignedInAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/account/manage", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK && response.RequestMessage!.RequestUri!.AbsolutePath == "/account/manage";
    }
}
