using System.Net;
using Guichet.Audit.Detection;
using Guichet.Audit.Honeytokens;
using Guichet.Audit.Search;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Audit;

/// <summary>The security auditors' pages and the two-person unfreeze, signed in for real over HTTPS.</summary>
public sealed class AuditorPagesTests
{
    private const string Bait = "cus-test-honeytoken-0002";

    [Fact]
    public async Task An_auditor_searches_the_ledger_by_action_and_bad_input_gets_a_readable_message()
    {
        await using var server = await GuichetServer.StartAsync();
        var (_, auditor) = await server.CreateSignedInAsync(StaffRole.SecurityAuditor);
        var trail = server.Services.GetRequiredService<IAuditTrail>();
        await trail.RecordAsync(new AuditEvent("customer.lookup", new AuditActor(AuditActorKind.Staff, "staff-test-0001"), AuditOutcome.Success, "customer", "cus-test-0001"));

        var page = await auditor.GetStringAsync(new Uri("/audit/ledger?action=customer.lookup&actor=staff-test-0001", UriKind.Relative));
        Assert.Contains("cus-test-0001", page, StringComparison.Ordinal);

        var bad = await auditor.GetStringAsync(new Uri("/audit/ledger?from=yesterday", UriKind.Relative));
        Assert.Contains("id=\"search-error\"", bad, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"entries\"", bad, StringComparison.Ordinal);

        var searches = await server.Services.GetRequiredService<IAuditSearch>().SearchAsync(new AuditQuery(Action: "ledger.search"), AuditActor.System, CancellationToken.None);
        Assert.Contains(searches, e => e.ActorKind == "staff" && e.ActorId != "system");
    }

    [Fact]
    public async Task Ledger_search_pages_by_sequence_fifty_entries_at_a_time()
    {
        await using var server = await GuichetServer.StartAsync();
        var (_, auditor) = await server.CreateSignedInAsync(StaffRole.SecurityAuditor);
        var trail = server.Services.GetRequiredService<IAuditTrail>();
        for (var i = 0; i < 55; i++)
        {
            await trail.RecordAsync(new AuditEvent("ledger.test", new AuditActor(AuditActorKind.Staff, "staff-test-paging"), AuditOutcome.Success, "test", $"item-{i:D2}"));
        }

        var first = await auditor.GetStringAsync(new Uri("/audit/ledger?actor=staff-test-paging", UriKind.Relative));
        Assert.Equal(50, System.Text.RegularExpressions.Regex.Count(first, "test item-"));
        Assert.Contains("item-54", first, StringComparison.Ordinal);
        var older = System.Text.RegularExpressions.Regex.Match(first, "id=\"older\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(older);

        var second = await auditor.GetStringAsync(new Uri(System.Net.WebUtility.HtmlDecode(older), UriKind.Relative));
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(second, "test item-"));
        Assert.Contains("item-00", second, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"older\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_access_history_of_a_record_shows_who_saw_it_and_why()
    {
        await using var server = await GuichetServer.StartAsync();
        var (_, auditor) = await server.CreateSignedInAsync(StaffRole.SecurityAuditor);
        var trail = server.Services.GetRequiredService<IAuditTrail>();
        await trail.RecordAsync(new AuditEvent("personal-data.reveal", new AuditActor(AuditActorKind.Staff, "staff-test-0002"), AuditOutcome.Success, "ticket.phone", "row-test-0002", "call back"));
        await trail.RecordAsync(new AuditEvent("personal-data.reveal", new AuditActor(AuditActorKind.Staff, "staff-test-0003"), AuditOutcome.Success, "ticket.phone", "row-test-other", "call back"));

        var page = await auditor.GetStringAsync(new Uri("/audit/history?type=ticket.phone&id=row-test-0002", UriKind.Relative));

        Assert.Contains("staff-test-0002", page, StringComparison.Ordinal);
        Assert.Contains("call back", page, StringComparison.Ordinal);
        Assert.DoesNotContain("staff-test-0003", page, StringComparison.Ordinal);
        var missing = await auditor.GetStringAsync(new Uri("/audit/history?type=ticket.phone", UriKind.Relative));
        Assert.Contains("id=\"history-error\"", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chain_page_verifies_on_request_and_shows_the_verdict()
    {
        await using var server = await GuichetServer.StartAsync();
        var (_, auditor) = await server.CreateSignedInAsync(StaffRole.SecurityAuditor);

        var before = await auditor.GetStringAsync(new Uri("/audit/chain", UriKind.Relative));
        Assert.Contains("has not been verified", before, StringComparison.Ordinal);
        using var verified = await HtmlForms.SubmitAsync(auditor, "/audit/chain", "verify", new Dictionary<string, string>(), before);
        var after = await verified.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Contains("Audit ledger intact", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_arrives_on_the_live_stream_and_acknowledging_it_is_recorded()
    {
        await using var server = await StartWithBaitAsync();
        var (_, auditor) = await server.CreateSignedInAsync(StaffRole.SecurityAuditor);
        var (agent, _) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);

        using var stream = await auditor.GetAsync(new Uri("/audit/alerts/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal("retry: 3000", await reader.ReadLineAsync());

        await server.Services.GetRequiredService<IAuditTrail>().RecordAsync(
            new AuditEvent("customer.lookup", new AuditActor(AuditActorKind.Staff, agent.UserId), AuditOutcome.Success, "customer", Bait));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? line;
        do
        {
            line = await reader.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.StartsWith("data:", StringComparison.Ordinal));

        Assert.NotNull(line);
        Assert.Contains("\"rule\":\"honeytoken\"", line, StringComparison.Ordinal);
        Assert.Contains(agent.UserId, line, StringComparison.Ordinal);

        var page = await auditor.GetStringAsync(new Uri("/audit/alerts", UriKind.Relative));
        var alertId = System.Text.RegularExpressions.Regex.Match(page, "data-alert=\"([0-9a-f]{32})\"").Groups[1].Value;
        Assert.NotEmpty(alertId);
        using var acknowledged = await HtmlForms.SubmitAsync(auditor, "/audit/alerts", "ack-" + alertId, new Dictionary<string, string>(), page);
        Assert.Contains("Alert acknowledged.", await acknowledged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var entries = await server.Services.GetRequiredService<IAuditSearch>().SearchAsync(new AuditQuery(Action: "alert.acknowledged"), AuditActor.System, CancellationToken.None);
        Assert.Contains(entries, e => e.ResourceId == alertId && e.ActorKind == "staff");
    }

    [Fact]
    public async Task Unfreezing_needs_a_security_auditor_and_an_administrator_each_confirming_on_the_page()
    {
        await using var server = await StartWithBaitAsync();
        var (_, auditor) = await server.CreateSignedInAsync(StaffRole.SecurityAuditor);
        var (_, administrator) = await server.CreateSignedInAsync(StaffRole.Administrator);
        var (agent, agentClient) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);
        await server.Services.GetRequiredService<IAuditTrail>().RecordAsync(
            new AuditEvent("customer.lookup", new AuditActor(AuditActorKind.Staff, agent.UserId), AuditOutcome.Success, "customer", Bait));
        using var frozenClient = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(frozenClient, agent));

        var auditorPage = await auditor.GetStringAsync(new Uri("/audit/freezes", UriKind.Relative));
        Assert.Contains(agent.UserId, auditorPage, StringComparison.Ordinal);
        var formName = System.Text.RegularExpressions.Regex.Match(auditorPage, "value=\"(approve-SecurityAuditor-[0-9a-f]{32})\"").Groups[1].Value;
        Assert.DoesNotContain("approve-Administrator-", auditorPage, StringComparison.Ordinal);
        using (var first = await HtmlForms.SubmitAsync(auditor, "/audit/freezes", formName, new Dictionary<string, string>(), auditorPage))
        {
            Assert.Contains("still needed", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var stillFrozen = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(stillFrozen, agent));

        var adminPage = await administrator.GetStringAsync(new Uri("/audit/freezes", UriKind.Relative));
        using (var second = await HtmlForms.SubmitAsync(administrator, "/audit/freezes", formName.Replace("SecurityAuditor", "Administrator", StringComparison.Ordinal), new Dictionary<string, string>(), adminPage))
        {
            Assert.Contains("unfrozen", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var released = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await server.TrySignInAsync(released, agent));
        var approvals = await server.Services.GetRequiredService<IAuditSearch>().SearchAsync(new AuditQuery(ResourceId: agent.UserId), AuditActor.System, CancellationToken.None);
        Assert.Equal(2, approvals.Count(e => e.Action == "account.unfreeze.approve" && e.Outcome == "success"));
        Assert.Contains(approvals, e => e.Action == "account.unfreeze");
    }

    [Fact]
    public async Task An_administrator_lifts_an_address_block_early_and_it_is_recorded()
    {
        var (server, _) = await FakeTimeServer.StartAsync(new Dictionary<string, string?> { ["Audit:Rules:FailedSignInsPerAddress:AlertAbove"] = "2" });
        await using var _ = server;
        var (_, administrator) = await server.CreateSignedInAsync(StaffRole.Administrator);
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.CounterStaff);
        using var attacker = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await server.TrySignInAsync(attacker, staff, password: "Wrong passphrase for the test");
        }

        var blocklist = server.Services.GetRequiredService<IClientBlocklist>();
        Assert.NotNull(blocklist.BlockedUntil("127.0.0.1"));

        var page = await administrator.GetStringAsync(new Uri("/admin/blocks", UriKind.Relative));
        using var unblocked = await HtmlForms.SubmitAsync(administrator, "/admin/blocks", "unblock-127.0.0.1", new Dictionary<string, string>(), page);

        Assert.Contains("Unblocked.", await unblocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(blocklist.BlockedUntil("127.0.0.1"));
        var entries = await server.Services.GetRequiredService<IAuditSearch>().SearchAsync(new AuditQuery(Action: "client.unblock"), AuditActor.System, CancellationToken.None);
        Assert.Single(entries);
    }

    private static async Task<GuichetServer> StartWithBaitAsync()
    {
        var server = await GuichetServer.StartAsync(configure: builder => builder.Services.AddSingleton<IHoneytokenPlanter>(new BaitPlanter()));
        Assert.Equal(0, await Guichet.Audit.AuditCommands.PlantHoneytokensAsync(server.Services, 1, TextWriter.Null, CancellationToken.None));
        return server;
    }

    private sealed class BaitPlanter : IHoneytokenPlanter
    {
        public Task<IReadOnlyList<string>> PlantAsync(int count, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([Bait]);
    }
}
