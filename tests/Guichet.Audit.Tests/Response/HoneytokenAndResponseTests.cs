using System.Text.Json;
using Guichet.Audit.Detection;
using Guichet.Audit.Honeytokens;
using Guichet.Audit.Response;
using Guichet.Audit.Tests.Infrastructure;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Tests.Response;

public sealed class HoneytokenAndResponseTests
{
    private readonly RecordingFreezer freezer = new();
    private readonly RecordingChannel channel = new();

    [Fact]
    public async Task Touching_a_honeytoken_customer_freezes_the_actor_at_once()
    {
        await using var ledger = await CreateAsync();
        using var output = new StringWriter();
        Assert.Equal(0, await AuditCommands.PlantHoneytokensAsync(ledger.Services, 3, output, CancellationToken.None));
        await using var db = ledger.CreateContext();
        var bait = (await db.Honeytokens.FirstAsync()).ResourceId;

        await ledger.RecordAsync("customer.lookup", actorId: "staff-4", resourceId: "cus-ordinary");
        Assert.Empty(freezer.Frozen);
        await ledger.RecordAsync("customer.lookup", actorId: "staff-4", resourceId: bait);

        Assert.Equal("staff-4", Assert.Single(freezer.Frozen).UserId);
        var alert = Assert.Single(channel.Sent);
        Assert.Equal(("honeytoken", AlertSeverity.Critical, "freeze"), (alert.Rule, alert.Severity, alert.Response));
        Assert.DoesNotContain(bait, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Planting_records_a_batch_in_the_ledger_but_never_the_bait_ids()
    {
        await using var ledger = await CreateAsync();
        var ids = await ledger.Services.GetRequiredService<HoneytokenRegistry>().PlantAsync(4, AuditActor.System, CancellationToken.None);

        await using var db = ledger.CreateContext();
        Assert.Equal(4, await db.Honeytokens.CountAsync());
        var entries = await db.Entries.ToListAsync();
        Assert.Contains(entries, e => e.Action == "honeytoken.plant");
        Assert.DoesNotContain(entries, e => ids.Contains(e.ResourceId));
    }

    [Fact]
    public async Task A_honeytoken_planted_by_another_process_is_watched_within_a_minute()
    {
        await using var ledger = await CreateAsync();
        await ledger.RecordAsync("customer.lookup", actorId: "staff-1", resourceId: "cus-warmup");
        await using (var other = ledger.Reopen())
        {
            await other.GetRequiredService<HoneytokenRegistry>().PlantAsync(1, AuditActor.System, CancellationToken.None);
        }

        await using var db = ledger.CreateContext();
        var bait = (await db.Honeytokens.SingleAsync()).ResourceId;
        ledger.Time.Advance(TimeSpan.FromMinutes(1));
        await ledger.RecordAsync("customer.reveal", actorId: "staff-1", resourceId: bait);

        Assert.Equal("staff-1", Assert.Single(freezer.Frozen).UserId);
    }

    [Fact]
    public async Task Alerts_go_to_the_webhook_and_e_mail_channels_without_personal_data()
    {
        var handler = new RecordingHttpHandler();
        var mailer = new RecordingMailer();
        await using var ledger = await CreateAsync(
            new Dictionary<string, string?>
            {
                ["Audit:Alerts:WebhookUrl"] = "https://alerts.example.test/hook",
                ["Audit:Alerts:EmailTo:0"] = "security@example.test",
                ["Audit:Alerts:EmailFrom"] = "guichet@example.test",
                ["Audit:Alerts:SmtpHost"] = "smtp.example.test",
                ["Audit:Rules:Reveals:AlertAbove"] = "1",
            },
            services =>
            {
                services.AddHttpClient(WebhookAlertChannel.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
                services.AddSingleton<IAlertMailer>(mailer);
            });

        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");
        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");

        var (uri, body) = Assert.Single(handler.Requests);
        Assert.Equal("https://alerts.example.test/hook", uri.ToString());
        using var json = JsonDocument.Parse(body);
        Assert.Equal("reveals", json.RootElement.GetProperty("rule").GetString());
        Assert.Equal("staff-8", json.RootElement.GetProperty("actorId").GetString());
        Assert.Equal("Warning", json.RootElement.GetProperty("severity").GetString());
        var mail = Assert.Single(mailer.Sent);
        Assert.Equal(["security@example.test"], mail.To);
        Assert.Contains("reveals", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("callback requested", body + mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_channel_does_not_stop_the_freeze()
    {
        await using var ledger = await CreateAsync(
            new Dictionary<string, string?> { ["Audit:Rules:Reveals:AlertAbove"] = "1", ["Audit:Rules:Reveals:FreezeAbove"] = "1" },
            services => services.AddSingleton<IAlertChannel, FailingChannel>());

        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");
        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");

        Assert.Single(freezer.Frozen);
        Assert.Single(channel.Sent);
    }

    [Fact]
    public async Task Unfreezing_needs_a_security_auditor_and_an_administrator_who_are_two_people()
    {
        await using var ledger = await CreateAsync(new Dictionary<string, string?> { ["Audit:Rules:Reveals:AlertAbove"] = "1", ["Audit:Rules:Reveals:FreezeAbove"] = "1" });
        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");
        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");
        var desk = ledger.Services.GetRequiredService<IAlertDesk>();

        Assert.Equal(UnfreezeDecision.Refused, await desk.ApproveUnfreezeAsync("staff-8", LedgerFixture.Staff("staff-8"), StaffRole.Administrator, CancellationToken.None));
        Assert.Equal(UnfreezeDecision.Refused, await desk.ApproveUnfreezeAsync("staff-8", LedgerFixture.Staff("manager-1"), StaffRole.BranchManager, CancellationToken.None));
        Assert.Equal(UnfreezeDecision.Pending, await desk.ApproveUnfreezeAsync("staff-8", LedgerFixture.Staff("auditor-1"), StaffRole.SecurityAuditor, CancellationToken.None));
        Assert.Equal(UnfreezeDecision.Refused, await desk.ApproveUnfreezeAsync("staff-8", LedgerFixture.Staff("auditor-1"), StaffRole.Administrator, CancellationToken.None));
        Assert.Empty(freezer.Unfrozen);
        Assert.Equal(UnfreezeDecision.Released, await desk.ApproveUnfreezeAsync("staff-8", LedgerFixture.Staff("admin-1"), StaffRole.Administrator, CancellationToken.None));

        Assert.Equal("staff-8", Assert.Single(freezer.Unfrozen).UserId);
        Assert.Equal(UnfreezeDecision.NotFrozen, await desk.ApproveUnfreezeAsync("staff-8", LedgerFixture.Staff("admin-1"), StaffRole.Administrator, CancellationToken.None));
        await using var db = ledger.CreateContext();
        var approvals = await db.Entries.Where(e => e.Action == "account.unfreeze.approve").Select(e => e.Outcome).ToListAsync();
        Assert.Equal(["denied", "denied", "success", "denied", "success"], approvals);
        Assert.Equal(1, await db.Entries.CountAsync(e => e.Action == "account.unfreeze" && e.ActorId == "admin-1"));
    }

    [Fact]
    public async Task Handling_an_alert_changes_its_state_and_is_audited()
    {
        await using var ledger = await CreateAsync(new Dictionary<string, string?> { ["Audit:Rules:Reveals:AlertAbove"] = "1" });
        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");
        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");
        var desk = ledger.Services.GetRequiredService<IAlertDesk>();
        var alert = Assert.Single(await desk.ListAsync(AlertState.Open, 10, CancellationToken.None));
        Assert.Equal([1L, 2L], alert.Evidence);

        Assert.True(await desk.SetStateAsync(alert.Id, AlertState.Acknowledged, LedgerFixture.Staff("auditor-1"), CancellationToken.None));

        Assert.Empty(await desk.ListAsync(AlertState.Open, 10, CancellationToken.None));
        Assert.Single(await desk.ListAsync(AlertState.Acknowledged, 10, CancellationToken.None));
        await using var db = ledger.CreateContext();
        Assert.True(await db.Entries.AnyAsync(e => e.Action == "alert.acknowledged" && e.ActorId == "auditor-1"));
    }

    [Fact]
    public async Task Auditors_watching_the_feed_see_alerts_as_they_are_raised()
    {
        await using var ledger = await CreateAsync(new Dictionary<string, string?> { ["Audit:Rules:Reveals:AlertAbove"] = "1" });
        using var stop = new CancellationTokenSource();
        var feed = ledger.Services.GetRequiredService<IAlertFeed>().SubscribeAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = feed.MoveNextAsync();

        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");
        await ledger.RecordAsync("customer.reveal", actorId: "staff-8");

        Assert.True(await next);
        Assert.Equal("reveals", feed.Current.Rule);
        await stop.CancelAsync();
        await feed.DisposeAsync();
    }

    private Task<LedgerFixture> CreateAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null) =>
        LedgerFixture.CreateAsync(settings, services =>
        {
            services.AddSingleton<IAccountFreezer>(freezer);
            services.AddSingleton<IAlertChannel>(channel);
            configure?.Invoke(services);
        });
}
