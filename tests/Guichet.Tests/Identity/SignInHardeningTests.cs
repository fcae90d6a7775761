using System.Net;
using Guichet.Identity.SignIn;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Identity;

public sealed class SignInHardeningTests
{
    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_generic_answer()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.CounterStaff);
        using var client = server.CreateClient();

        var wrongPassword = await PostLoginAsync(client, staff.UserName, "Definitely not the password");
        var unknownUser = await PostLoginAsync(client, "nobody-here", "Definitely not the password");

        Assert.Equal(wrongPassword.Status, unknownUser.Status);
        Assert.Equal("/account/login", wrongPassword.Path);
        Assert.Equal("/account/login", unknownUser.Path);
        Assert.Contains("Sign-in failed.", wrongPassword.Body, StringComparison.Ordinal);
        Assert.Contains("Sign-in failed.", unknownUser.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_locks_after_repeated_failures_even_for_the_right_password_until_the_delay_passes()
    {
        var (server, time) = await FakeTimeServer.StartAsync();
        await using var _ = server;
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.CounterStaff);

        for (var i = 0; i < 5; i++)
        {
            using var client = server.CreateClient();
            Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(client, staff, password: "Wrong password number " + i));
        }

        using (var locked = server.CreateClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(locked, staff));
        }

        time.Advance(TimeSpan.FromSeconds(61));
        using var unlocked = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await server.TrySignInAsync(unlocked, staff));
    }

    [Fact]
    public async Task The_lock_delay_doubles_with_each_failure_after_the_threshold()
    {
        var (server, time) = await FakeTimeServer.StartAsync();
        await using var _ = server;
        const string account = "account:SOMEONE";
        const string address = "address:192.0.2.1";

        for (var i = 0; i < 5; i++)
        {
            Assert.True(await TryAttemptAsync(server, account, address));
        }

        Assert.False(await TryAttemptAsync(server, account, address));
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await TryAttemptAsync(server, account, address)); // 6th failure: locked 2 min
        time.Advance(TimeSpan.FromSeconds(119));
        Assert.False(await TryAttemptAsync(server, account, address));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await TryAttemptAsync(server, account, address)); // 7th failure: locked 4 min
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.False(await TryAttemptAsync(server, account, address));
    }

    [Fact]
    public async Task Parallel_attempts_cannot_get_more_tries_than_the_threshold()
    {
        await using var server = await GuichetServer.StartAsync();

        var attempts = Enumerable.Range(0, 24).Select(_ => Task.Run(() => TryAttemptAsync(server, "account:TARGET", "address:192.0.2.7")));
        var allowed = (await Task.WhenAll(attempts)).Count(a => a);

        Assert.Equal(5, allowed);
    }

    [Fact]
    public async Task Parallel_wrong_passwords_over_https_lock_the_account()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.CounterStaff);

        var attempts = Enumerable.Range(0, 12).Select(async i =>
        {
            using var client = server.CreateClient();
            return await PostLoginAsync(client, staff.UserName, "Wrong password in parallel " + i);
        });
        var answers = await Task.WhenAll(attempts);

        Assert.All(answers, a => Assert.Equal("/account/login", a.Path));
        using var afterwards = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(afterwards, staff));
    }

    [Fact]
    public async Task Failures_from_one_address_across_accounts_lock_that_address()
    {
        var (server, _) = await FakeTimeServer.StartAsync(new Dictionary<string, string?> { ["Identity:AddressFailureThreshold"] = "8" });
        await using var _ = server;

        for (var i = 0; i < 8; i++)
        {
            Assert.True(await TryAttemptAsync(server, $"account:USER{i}", "address:192.0.2.9"));
        }

        Assert.False(await TryAttemptAsync(server, "account:FRESH", "address:192.0.2.9"));
        Assert.True(await TryAttemptAsync(server, "account:FRESH", "address:192.0.2.10"));
    }

    [Fact]
    public async Task An_authenticator_code_cannot_be_used_twice()
    {
        var (server, _) = await FakeTimeServer.StartAsync();
        await using var _ = server;
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);
        var code = await server.NextCodeAsync(staff);

        using var first = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await server.TrySignInAsync(first, staff, code: code));
        using var replay = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(replay, staff, code: code));
    }

    [Fact]
    public async Task Sign_in_success_and_failure_are_audited_without_secrets()
    {
        var audit = new RecordingAuditTrail();
        var (server, _) = await FakeTimeServer.StartAsync(audit: audit);
        await using var _ = server;
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.CounterStaff);

        using var client = server.CreateClient();
        await server.TrySignInAsync(client, staff, password: "Wrong password for audit");

        Assert.Contains(audit.Events, e => e.Action == "auth.signin" && e.Outcome == AuditOutcome.Success && e.Actor.Id == staff.UserId);
        Assert.Contains(audit.Events, e => e.Action == "auth.signin.password" && e.Outcome == AuditOutcome.Failure && e.ResourceId == staff.UserId);
        Assert.DoesNotContain(audit.Events, e => (e.ResourceId ?? "").Contains(staff.Password, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("short1")]
    [InlineData("password1234")]
    [InlineData("Qwertyuiop12")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    public async Task Enrolment_refuses_short_common_or_repetitive_passwords(string password)
    {
        await using var server = await GuichetServer.StartAsync();
        var (_, token) = await server.InviteAsync([StaffRole.CounterStaff], [TestSignIn.DefaultBranch]);
        using var client = server.CreateClient();

        using var response = await HtmlForms.SubmitAsync(client, "/account/enrol?token=" + token, "enrol-password", new Dictionary<string, string>
        {
            ["PasswordInput.Password"] = password,
            ["PasswordInput.Confirm"] = password,
        });

        var page = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("authenticator-key", page, StringComparison.Ordinal);
        Assert.Contains("alert-danger", page, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_list_knows_common_long_passwords()
    {
        Assert.True(CommonPasswordValidator.IsCommon("Password1234"));
        Assert.True(CommonPasswordValidator.IsCommon("qwertyuiop12"));
        Assert.False(CommonPasswordValidator.IsCommon("violet kettle drums at noon"));
    }

    private static async Task<bool> TryAttemptAsync(GuichetServer server, string account, string address)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SignInThrottleService>().TryBeginAttemptAsync(account, address, CancellationToken.None);
    }

    private static async Task<(HttpStatusCode Status, string Path, string Body)> PostLoginAsync(HttpClient client, string userName, string password)
    {
        using var response = await HtmlForms.SubmitAsync(client, "/account/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        return (response.StatusCode, response.RequestMessage!.RequestUri!.AbsolutePath, await response.Content.ReadAsStringAsync());
    }
}
