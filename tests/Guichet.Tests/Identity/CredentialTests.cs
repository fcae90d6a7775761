using System.Net;
using System.Net.Http.Json;
using Guichet.Identity.Accounts;
using Guichet.Identity.ApiKeys;
using Guichet.Identity.Data;
using Guichet.Identity.Devices;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Identity;

public sealed class CredentialTests
{
    [Fact]
    public async Task A_device_exchanges_its_one_time_code_for_a_credential_that_does_its_one_job_until_revoked()
    {
        var audit = new RecordingAuditTrail();
        var (server, _) = await FakeTimeServer.StartAsync(audit: audit);
        await using var _ = server;
        var code = await WithScopeAsync(server, s => s.GetRequiredService<DeviceRegistry>().CreateEnrolmentCodeAsync("branch-a", DeviceKind.Kiosk, "Hall kiosk 1", AuditActor.System));
        using var client = server.CreateClient();

        using var enrolled = await client.PostAsJsonAsync(new Uri("/api/v1/devices/enrol", UriKind.Relative), new { code });
        enrolled.EnsureSuccessStatusCode();
        var credential = (await enrolled.Content.ReadFromJsonAsync<EnrolmentAnswer>())!.Credential;
        using var reused = await client.PostAsJsonAsync(new Uri("/api/v1/devices/enrol", UriKind.Relative), new { code });

        Assert.StartsWith("gd_", credential, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        var self = await GetAsync(client, "/api/v1/devices/me", "Device " + credential);
        Assert.Equal(HttpStatusCode.OK, self.Status);
        Assert.Contains("queue.ticket.issue", self.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("queue.display.view", self.Body, StringComparison.Ordinal);
        Assert.Contains("\"device\"", (await GetAsync(client, "/api/v1/whoami", "Device " + credential)).Body, StringComparison.Ordinal);

        var deviceId = Guid.Parse(credential.AsSpan(3, 32));
        Assert.True(await WithScopeAsync(server, s => s.GetRequiredService<DeviceRegistry>().RevokeAsync(deviceId, AuditActor.System)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/v1/devices/me", "Device " + credential)).Status);
        Assert.Contains(audit.Events, e => e.Action == "device.enrol" && e.Outcome == AuditOutcome.Failure);
        Assert.Contains(audit.Events, e => e.Action == "device.authenticate" && e.Outcome == AuditOutcome.Failure);
    }

    [Fact]
    public async Task An_expired_device_code_is_refused()
    {
        var (server, time) = await FakeTimeServer.StartAsync();
        await using var _ = server;
        var code = await WithScopeAsync(server, s => s.GetRequiredService<DeviceRegistry>().CreateEnrolmentCodeAsync("branch-a", DeviceKind.Display, "Board", AuditActor.System));
        time.Advance(TimeSpan.FromMinutes(61));
        using var client = server.CreateClient();

        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/devices/enrol", UriKind.Relative), new { code });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_api_key_is_scoped_expires_and_can_be_revoked()
    {
        var (server, time) = await FakeTimeServer.StartAsync();
        await using var _ = server;
        var issued = await WithScopeAsync(server, s => s.GetRequiredService<ApiKeyRegistry>().CreateAsync("crm", StaffRole.CounterStaff, "branch-a", TimeSpan.FromDays(30), AuditActor.System));
        var revocable = await WithScopeAsync(server, s => s.GetRequiredService<ApiKeyRegistry>().CreateAsync("crm-2", StaffRole.CounterStaff, "branch-a", null, AuditActor.System));
        using var client = server.CreateClient();

        var whoami = await GetAsync(client, "/api/v1/whoami", "ApiKey " + issued.Key);
        Assert.Equal(HttpStatusCode.OK, whoami.Status);
        Assert.Contains("\"api-client\"", whoami.Body, StringComparison.Ordinal);
        Assert.Contains("queue.counter.operate", whoami.Body, StringComparison.Ordinal);
        Assert.Contains("branch-a", whoami.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/v1/whoami", "ApiKey gk_not-a-key")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/v1/whoami", "ApiKey " + issued.Key[..^2] + "xx")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, "/api/v1/devices/me", "ApiKey " + issued.Key)).Status);

        Assert.True(await WithScopeAsync(server, s => s.GetRequiredService<ApiKeyRegistry>().RevokeAsync(revocable.Id, AuditActor.System)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/v1/whoami", "ApiKey " + revocable.Key)).Status);

        time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/v1/whoami", "ApiKey " + issued.Key)).Status);
    }

    [Fact]
    public async Task Api_keys_cannot_carry_account_or_audit_roles()
    {
        await using var server = await GuichetServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => WithScopeAsync(server, s => s.GetRequiredService<ApiKeyRegistry>().CreateAsync("bad", StaffRole.Administrator, "branch-a", null, AuditActor.System)));
    }

    [Fact]
    public async Task An_enrolment_link_works_once()
    {
        await using var server = await GuichetServer.StartAsync();
        var (userName, token) = await server.InviteAsync([StaffRole.CounterStaff], ["branch-a"]);
        await server.EnrolAsync(userName, token);
        using var client = server.CreateClient();

        var page = await client.GetStringAsync(new Uri("/account/enrol?token=" + token, UriKind.Relative));

        Assert.Contains("enrolment-invalid", page, StringComparison.Ordinal);
        Assert.DoesNotContain("enrol-password", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_enrolment_link_is_refused()
    {
        var (server, time) = await FakeTimeServer.StartAsync();
        await using var _ = server;
        var (_, token) = await server.InviteAsync([StaffRole.CounterStaff], ["branch-a"]);
        time.Advance(TimeSpan.FromHours(25));
        using var client = server.CreateClient();

        var page = await client.GetStringAsync(new Uri("/account/enrol?token=" + token, UriKind.Relative));

        Assert.Contains("enrolment-invalid", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invited_but_not_enrolled_account_cannot_sign_in_or_reach_pages()
    {
        await using var server = await GuichetServer.StartAsync();
        var (userName, token) = await server.InviteAsync([StaffRole.Administrator], ["*"]);
        using var client = server.CreateClient();
        const string password = "Half enrolled passphrase 1";
        using var _ = await HtmlForms.SubmitAsync(client, "/account/enrol?token=" + token, "enrol-password", new Dictionary<string, string>
        {
            ["PasswordInput.Password"] = password,
            ["PasswordInput.Confirm"] = password,
        });

        using var admin = await client.GetAsync(new Uri("/admin/staff", UriKind.Relative));
        Assert.Equal("/account/login", admin.RequestMessage!.RequestUri!.AbsolutePath);
        var staff = new TestStaff("", userName, password, "AAAAAAAAAAAAAAAA", []);
        Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(client, staff, code: "000000"));
    }

    [Fact]
    public async Task A_fresh_installation_offers_a_one_time_setup_link_for_the_first_administrator()
    {
        await using var server = await GuichetServer.StartAsync();
        var secret = await WithScopeAsync(server, s => s.GetRequiredService<StaffAccounts>().IssueSetupTokenAsync());
        Assert.NotNull(secret);
        using var client = server.CreateClient();

        using var created = await HtmlForms.SubmitAsync(client, "/account/setup?token=" + secret, "setup", new Dictionary<string, string> { ["Input.UserName"] = "first-admin" });

        Assert.Equal("/account/enrol", created.RequestMessage!.RequestUri!.AbsolutePath);
        var again = await client.GetStringAsync(new Uri("/account/setup?token=" + secret, UriKind.Relative));
        Assert.Contains("setup-invalid", again, StringComparison.Ordinal);
        Assert.Null(await WithScopeAsync(server, s => s.GetRequiredService<StaffAccounts>().IssueSetupTokenAsync()));
    }

    private sealed record EnrolmentAnswer(Guid DeviceId, string Credential, string BranchId, string Kind);

    private static async Task<T> WithScopeAsync<T>(GuichetServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
