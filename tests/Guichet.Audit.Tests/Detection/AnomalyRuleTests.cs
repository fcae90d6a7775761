using Guichet.Audit.Detection;
using Guichet.Audit.Response;
using Guichet.Audit.Tests.Infrastructure;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Tests.Detection;

public sealed class AnomalyRuleTests
{
    private readonly RecordingFreezer freezer = new();
    private readonly RecordingChannel channel = new();

    [Fact]
    public async Task A_staff_member_who_reveals_51_phones_in_10_minutes_is_frozen()
    {
        await using var ledger = await CreateAsync();

        for (var i = 1; i <= 51; i++)
        {
            await ledger.RecordAsync("customer.reveal", actorId: "staff-7", resourceId: $"cus-{i}");
            ledger.Time.Advance(TimeSpan.FromSeconds(10));
        }

        var frozen = Assert.Single(freezer.Frozen);
        Assert.Equal("staff-7", frozen.UserId);
        var alerts = channel.Sent.ToList();
        Assert.Equal(["reveals", "reveals"], alerts.Select(a => a.Rule));
        Assert.Equal(AlertSeverity.Warning, alerts[0].Severity);
        Assert.Equal("alert", alerts[0].Response);
        Assert.Equal(AlertSeverity.Critical, alerts[1].Severity);
        Assert.Equal("freeze", alerts[1].Response);
        Assert.Equal(51, alerts[1].Evidence.Count);
        await using var db = ledger.CreateContext();
        Assert.True(await db.Entries.AnyAsync(e => e.Action == "account.freeze" && e.ResourceId == "staff-7"));
        Assert.Equal(2, await db.Alerts.CountAsync());
    }

    [Fact]
    public async Task Reveals_spread_wider_than_the_window_alert_but_do_not_freeze()
    {
        await using var ledger = await CreateAsync();

        for (var i = 1; i <= 51; i++)
        {
            await ledger.RecordAsync("customer.reveal", actorId: "staff-7", resourceId: $"cus-{i}");
            ledger.Time.Advance(TimeSpan.FromSeconds(13));
        }

        Assert.Empty(freezer.Frozen);
        Assert.Equal("reveals", Assert.Single(channel.Sent).Rule);
    }

    [Fact]
    public async Task Twenty_reveals_raise_nothing_and_the_twenty_first_alerts_once()
    {
        await using var ledger = await CreateAsync();
        for (var i = 1; i <= 20; i++)
        {
            await ledger.RecordAsync("customer.reveal", actorId: "staff-7");
        }

        Assert.Empty(channel.Sent);
        await ledger.RecordAsync("customer.reveal", actorId: "staff-7");
        await ledger.RecordAsync("customer.reveal", actorId: "staff-7");

        Assert.Single(channel.Sent);
        Assert.Empty(freezer.Frozen);
    }

    [Fact]
    public async Task Looking_up_many_distinct_customers_alerts_but_one_customer_many_times_does_not()
    {
        await using var ledger = await CreateAsync(new Dictionary<string, string?> { ["Audit:Rules:DistinctCustomers:AlertAbove"] = "5" });
        for (var i = 0; i < 10; i++)
        {
            await ledger.RecordAsync("customer.lookup", actorId: "staff-1", resourceId: "cus-same");
        }

        Assert.Empty(channel.Sent);
        for (var i = 0; i < 6; i++)
        {
            await ledger.RecordAsync("customer.lookup", actorId: "staff-2", resourceId: $"cus-{i}");
        }

        var alert = Assert.Single(channel.Sent);
        Assert.Equal(("distinct-customers", "staff-2"), (alert.Rule, alert.ActorId));
    }

    [Fact]
    public async Task Personal_data_access_while_the_branch_is_closed_raises_a_warning()
    {
        await using var ledger = await CreateAsync(configure: services => services.AddSingleton<IBranchHoursProvider>(new FixedBranchHours("branch-closed")));

        await ledger.RecordAsync("customer.lookup", actorId: "staff-1", branch: "branch-open");
        Assert.Empty(channel.Sent);
        await ledger.RecordAsync("customer.reveal", actorId: "staff-1", branch: "branch-closed");

        var alert = Assert.Single(channel.Sent);
        Assert.Equal(("off-hours", AlertSeverity.Warning), (alert.Rule, alert.Severity));
        Assert.Empty(freezer.Frozen);
    }

    [Fact]
    public async Task Failed_sign_ins_against_one_account_alert_without_freezing_it()
    {
        await using var ledger = await CreateAsync();

        for (var i = 0; i < 11; i++)
        {
            await FailSignInAsync(ledger, "acc-9", $"203.0.113.{i}");
        }

        var alert = Assert.Single(channel.Sent);
        Assert.Equal(("failed-sign-ins-account", "acc-9"), (alert.Rule, alert.ActorId));
        Assert.Empty(freezer.Frozen);
    }

    [Fact]
    public async Task Failed_sign_ins_for_unknown_user_names_count_per_address_but_not_as_one_account()
    {
        await using var ledger = await CreateAsync();

        for (var i = 0; i < 11; i++)
        {
            await ledger.Trail.RecordAsync(new AuditEvent("auth.signin.password", new AuditActor(AuditActorKind.Anonymous, "anonymous"), AuditOutcome.Failure, ClientAddress: $"203.0.113.{i}"));
        }

        Assert.Empty(channel.Sent);
    }

    [Fact]
    public async Task A_burst_of_failed_sign_ins_blocks_the_address_for_a_while_only()
    {
        await using var ledger = await CreateAsync();
        var blocklist = ledger.Services.GetRequiredService<IClientBlocklist>();

        for (var i = 0; i < 21; i++)
        {
            await FailSignInAsync(ledger, $"acc-{i}", "198.51.100.7");
        }

        Assert.NotNull(blocklist.BlockedUntil("198.51.100.7"));
        Assert.Null(blocklist.BlockedUntil("198.51.100.8"));
        ledger.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Null(blocklist.BlockedUntil("198.51.100.7"));
        await using var db = ledger.CreateContext();
        Assert.True(await db.Entries.AnyAsync(e => e.Action == "client.block" && e.ResourceId == "198.51.100.7"));
    }

    [Fact]
    public async Task Addresses_in_the_never_block_list_are_never_blocked()
    {
        await using var ledger = await CreateAsync(new Dictionary<string, string?> { ["Audit:Rules:FailedSignInsPerAddress:NeverBlock:0"] = "10.20.0.0/16" });
        var blocklist = ledger.Services.GetRequiredService<IClientBlocklist>();

        for (var i = 0; i < 30; i++)
        {
            await FailSignInAsync(ledger, $"acc-{i}", "10.20.3.4");
        }

        Assert.Null(blocklist.BlockedUntil("10.20.3.4"));
        Assert.Contains(channel.Sent, a => a.Rule == "failed-sign-ins-address");
    }

    [Fact]
    public async Task Many_exports_alert()
    {
        await using var ledger = await CreateAsync();

        for (var i = 0; i < 6; i++)
        {
            await ledger.Trail.RecordAsync(new AuditEvent("report.export", LedgerFixture.Staff("staff-3"), AuditOutcome.Success, "report", $"r-{i}", "monthly figures"));
        }

        Assert.Equal("exports", Assert.Single(channel.Sent).Rule);
    }

    [Fact]
    public async Task Rule_thresholds_come_from_configuration()
    {
        await using var ledger = await CreateAsync(new Dictionary<string, string?>
        {
            ["Audit:Rules:Reveals:AlertAbove"] = "2",
            ["Audit:Rules:Reveals:FreezeAbove"] = "3",
        });

        for (var i = 0; i < 4; i++)
        {
            await ledger.RecordAsync("customer.reveal", actorId: "staff-5");
        }

        Assert.Equal("staff-5", Assert.Single(freezer.Frozen).UserId);
    }

    [Fact]
    public async Task Invalid_rule_thresholds_are_refused_at_start()
    {
        await using var ledger = await CreateAsync(new Dictionary<string, string?>
        {
            ["Audit:Rules:Reveals:AlertAbove"] = "50",
            ["Audit:Rules:Reveals:FreezeAbove"] = "20",
        });

        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () => await ledger.RecordAsync("customer.reveal"));
        Assert.Contains("FreezeAbove", failure.Message, StringComparison.Ordinal);
    }

    private static async Task FailSignInAsync(LedgerFixture ledger, string account, string address) =>
        await ledger.Trail.RecordAsync(new AuditEvent("auth.signin.password", new AuditActor(AuditActorKind.Anonymous, "anonymous"), AuditOutcome.Failure, "account", account, ClientAddress: address));

    private Task<LedgerFixture> CreateAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null) =>
        LedgerFixture.CreateAsync(settings, services =>
        {
            services.AddSingleton<IAccountFreezer>(freezer);
            services.AddSingleton<IAlertChannel>(channel);
            configure?.Invoke(services);
        });
}
