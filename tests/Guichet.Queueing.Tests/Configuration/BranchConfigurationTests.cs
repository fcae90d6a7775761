using System.Collections.Concurrent;
using System.Security.Claims;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Queueing.Configuration;
using Guichet.Queueing.Live;
using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Configuration;

public sealed class BranchConfigurationTests
{
    private static readonly BranchInput NewBranch = new("Test Branch North", "Asia/Shanghai", "mon=08:30-19:00;tue=08:30-17:00", true);

    private static readonly ServiceInput Deposits = new("Deposits", "Retail", "A", 300, 10, 4, null, false);

    internal static ClaimsPrincipal Caller(string actorId, string actorKind = "staff", params string[] branches) =>
        new(new ClaimsIdentity(
            [
                new Claim(GuichetClaimTypes.ActorId, actorId),
                new Claim(GuichetClaimTypes.ActorKind, actorKind),
                .. (branches.Length == 0 ? [GuichetClaimTypes.AllBranches] : branches).Select(b => new Claim(GuichetClaimTypes.Branch, b)),
            ],
            "test"));

    private static readonly ClaimsPrincipal Admin = Caller("admin-test-1");

    [Fact]
    public async Task An_administrator_sets_up_a_branch_with_a_service_and_a_counter_and_each_change_is_audited_with_ids_only()
    {
        var trail = new RecordingTrail();
        await using var hall = await QueueHarness.StartAsync(configure: s => s.AddSingleton<IAuditTrail>(trail));

        var branch = await ConfigureAsync(hall, c => c.CreateBranchAsync(Admin, NewBranch, "192.0.2.10", CancellationToken.None));
        using var subscription = new ChangeInbox(hall.Services.GetRequiredService<IQueueEvents>(), branch.Id);
        var service = await ConfigureAsync(hall, c => c.CreateServiceAsync(Admin, branch.Id, Deposits with { Prefix = "vb" }, null, CancellationToken.None));
        var counter = await ConfigureAsync(hall, c => c.CreateCounterAsync(Admin, branch.Id, new CounterInput("Window 1", 1, [service.Id]), null, CancellationToken.None));

        var listed = Assert.Single(await hall.InScopeAsync(s => s.GetRequiredService<IBranchConfiguration>().ListAsync(Admin, CancellationToken.None)));
        Assert.Equal(("Test Branch North", "Asia/Shanghai", "mon=08:30-19:00;tue=08:30-17:00", true), (listed.Name, listed.TimeZone, listed.OpeningHours, listed.ShowMaskedNameOnDisplay));
        var savedService = Assert.Single(listed.Services);
        Assert.Equal(("VB", 300, 10, 4, false), (savedService.Prefix, savedService.DailyCap, savedService.WaitingWarningLevel, savedService.DefaultServiceMinutes, savedService.CollectsPhone));
        Assert.Equal([service.Id], Assert.Single(listed.Counters).ServiceIds);
        var issued = await hall.IssueOkAsync(branch.Id, service.Id);
        Assert.Equal("VB001", issued.Number);

        Assert.Equal(["queue.branch.created", "queue.service.created", "queue.counter.created"], trail.Events.Select(e => e.Action));
        Assert.Equal(["branch", "service", "counter"], trail.Events.Select(e => e.ResourceType));
        Assert.Equal([branch.Id.ToString(), service.Id.ToString(), counter.Id.ToString()], trail.Events.Select(e => e.ResourceId));
        Assert.All(trail.Events, e =>
        {
            Assert.Equal(new AuditActor(AuditActorKind.Staff, "admin-test-1"), e.Actor);
            Assert.Equal(branch.Id.ToString(), e.BranchId);
            Assert.Equal(AuditOutcome.Success, e.Outcome);
        });
        Assert.Equal("192.0.2.10", trail.Events.First().ClientAddress);
        Assert.True(subscription.Changes.TryRead(out var change));
        Assert.Equal(branch.Id, change.BranchId);
    }

    [Fact]
    public async Task Updates_replace_the_settings_and_are_audited_as_updates()
    {
        var trail = new RecordingTrail();
        await using var hall = await QueueHarness.StartAsync(configure: s => s.AddSingleton<IAuditTrail>(trail));
        var layout = await hall.SeedHallAsync();
        var key = Caller("key-test-1", "api-client", layout.BranchId.ToString());

        var branch = await ConfigureAsync(hall, c => c.UpdateBranchAsync(key, layout.BranchId, new BranchInput("Renamed Branch", "Europe/Paris", null, true), null, CancellationToken.None));
        var service = await ConfigureAsync(hall, c => c.UpdateServiceAsync(
            key, layout.ServiceB, new ServiceInput("Loans", "Credit", "L", 50, 3, 12, "mon=09:00-12:00", true, "tell you when your turn is near"), null, CancellationToken.None));
        var counter = await ConfigureAsync(hall, c => c.UpdateCounterAsync(key, layout.CounterAb, new CounterInput("Window 9", 9, [layout.ServiceC]), null, CancellationToken.None));

        Assert.Equal(("Renamed Branch", "Europe/Paris", true), (branch.Name, branch.TimeZone, branch.ShowMaskedNameOnDisplay));
        Assert.Equal(WeeklyHoursAlways, branch.OpeningHours);
        Assert.Equal(("L", 50, "mon=09:00-12:00", "tell you when your turn is near"), (service.Prefix, service.DailyCap, service.ServiceHours, service.PhonePurpose));
        Assert.Equal((9, "Window 9"), (counter.WindowNumber, counter.Name));
        Assert.Equal([layout.ServiceC], counter.ServiceIds);
        Assert.Equal(["queue.branch.updated", "queue.service.updated", "queue.counter.updated"], trail.Events.Select(e => e.Action));
        Assert.All(trail.Events, e => Assert.Equal(new AuditActor(AuditActorKind.ApiClient, "key-test-1"), e.Actor));
    }

    private static readonly string WeeklyHoursAlways = Guichet.Queueing.Domain.WeeklyHours.Always.ToString();

    public static TheoryData<ServiceInput, string> BadServices => new()
    {
        { Deposits with { Prefix = "ABC" }, "prefix" },
        { Deposits with { Prefix = "1" }, "prefix" },
        { Deposits with { Prefix = "É" }, "prefix" },
        { Deposits with { Prefix = "A" }, "prefix" },
        { Deposits with { Name = " " }, "name" },
        { Deposits with { Name = new string('n', 101) }, "name" },
        { Deposits with { BusinessType = null }, "businessType" },
        { Deposits with { DailyCap = 0 }, "dailyCap" },
        { Deposits with { DailyCap = 1_000_001 }, "dailyCap" },
        { Deposits with { DailyCap = null }, "dailyCap" },
        { Deposits with { WaitingWarningLevel = -1 }, "waitingWarningLevel" },
        { Deposits with { DefaultServiceMinutes = 0 }, "defaultServiceMinutes" },
        { Deposits with { ServiceHours = "monday all day" }, "serviceHours" },
        { Deposits with { CollectsPhone = null }, "collectsPhone" },
        { Deposits with { CollectsPhone = true }, "phonePurpose" },
        { Deposits with { CollectsIdNumber = true, IdNumberPurpose = " " }, "idNumberPurpose" },
        { Deposits with { PhonePurpose = new string('p', 201) }, "phonePurpose" },
    };

    [Theory]
    [MemberData(nameof(BadServices))]
    public async Task A_service_that_breaks_a_rule_is_refused_naming_the_field_and_nothing_changes(ServiceInput input, string field)
    {
        var trail = new RecordingTrail();
        await using var hall = await QueueHarness.StartAsync(configure: s => s.AddSingleton<IAuditTrail>(trail));
        var layout = await hall.SeedHallAsync();
        var before = await SnapshotAsync(hall);

        var created = await hall.InScopeAsync(s => s.GetRequiredService<IBranchConfiguration>().CreateServiceAsync(Admin, layout.BranchId, input, null, CancellationToken.None));
        var updated = await hall.InScopeAsync(s => s.GetRequiredService<IBranchConfiguration>().UpdateServiceAsync(Admin, layout.ServiceB, input, null, CancellationToken.None));

        Assert.Equal(ConfigurationStatus.Invalid, created.Status);
        Assert.Contains(field, created.Errors!.Keys);
        Assert.Equal(ConfigurationStatus.Invalid, updated.Status);
        Assert.Contains(field, updated.Errors!.Keys);
        Assert.Equal(before, await SnapshotAsync(hall));
        Assert.Empty(trail.Events);
    }

    public static TheoryData<BranchInput, string> BadBranches => new()
    {
        { NewBranch with { Name = "" }, "name" },
        { NewBranch with { Name = "Bad\u0007Name" }, "name" },
        { NewBranch with { TimeZone = "Mars/Olympus" }, "timeZone" },
        { NewBranch with { TimeZone = null }, "timeZone" },
        { NewBranch with { OpeningHours = "mon=17:00-08:30" }, "openingHours" },
        { NewBranch with { OpeningHours = "mon=08:30-" }, "openingHours" },
        { NewBranch with { OpeningHours = "mon=08:30-25:00" }, "openingHours" },
    };

    [Theory]
    [MemberData(nameof(BadBranches))]
    public async Task A_branch_that_breaks_a_rule_is_refused_naming_the_field_and_nothing_changes(BranchInput input, string field)
    {
        var trail = new RecordingTrail();
        await using var hall = await QueueHarness.StartAsync(configure: s => s.AddSingleton<IAuditTrail>(trail));
        var layout = await hall.SeedHallAsync();
        var before = await SnapshotAsync(hall);

        var created = await hall.InScopeAsync(s => s.GetRequiredService<IBranchConfiguration>().CreateBranchAsync(Admin, input, null, CancellationToken.None));
        var updated = await hall.InScopeAsync(s => s.GetRequiredService<IBranchConfiguration>().UpdateBranchAsync(Admin, layout.BranchId, input, null, CancellationToken.None));

        Assert.Equal(ConfigurationStatus.Invalid, created.Status);
        Assert.Contains(field, created.Errors!.Keys);
        Assert.Equal(ConfigurationStatus.Invalid, updated.Status);
        Assert.Equal(before, await SnapshotAsync(hall));
        Assert.Empty(trail.Events);
    }

    [Fact]
    public async Task Counters_need_a_free_window_number_and_services_of_their_own_branch()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();
        var other = await hall.SeedHallAsync();
        var before = await SnapshotAsync(hall);

        var taken = await CounterAsync(hall, c => c.CreateCounterAsync(Admin, layout.BranchId, new CounterInput("Window 1 again", 1, [layout.ServiceA]), null, CancellationToken.None));
        var foreign = await CounterAsync(hall, c => c.CreateCounterAsync(Admin, layout.BranchId, new CounterInput("Window 7", 7, [layout.ServiceA, other.ServiceA]), null, CancellationToken.None));
        var none = await CounterAsync(hall, c => c.CreateCounterAsync(Admin, layout.BranchId, new CounterInput("Window 8", 8, []), null, CancellationToken.None));
        var zero = await CounterAsync(hall, c => c.CreateCounterAsync(Admin, layout.BranchId, new CounterInput("Window 0", 0, [layout.ServiceA]), null, CancellationToken.None));
        var moved = await CounterAsync(hall, c => c.UpdateCounterAsync(Admin, layout.CounterA, new CounterInput("Window 2", 3, [layout.ServiceA]), null, CancellationToken.None));
        var unchanged = await SnapshotAsync(hall);
        var keep = await CounterAsync(hall, c => c.UpdateCounterAsync(Admin, layout.CounterA, new CounterInput("Window 2", 2, [layout.ServiceA, layout.ServiceB]), null, CancellationToken.None));

        Assert.Contains("windowNumber", taken.Errors!.Keys);
        Assert.Contains("serviceIds", foreign.Errors!.Keys);
        Assert.Contains("serviceIds", none.Errors!.Keys);
        Assert.Contains("windowNumber", zero.Errors!.Keys);
        Assert.Contains("windowNumber", moved.Errors!.Keys);
        Assert.Equal(before, unchanged);
        Assert.Equal(ConfigurationStatus.Ok, keep.Status);
        Assert.Equal(new[] { layout.ServiceA, layout.ServiceB }.Order(), keep.Value!.ServiceIds);
    }

    [Fact]
    public async Task A_manager_of_another_branch_finds_nothing_to_read_or_change()
    {
        var trail = new RecordingTrail();
        await using var hall = await QueueHarness.StartAsync(configure: s => s.AddSingleton<IAuditTrail>(trail));
        var layout = await hall.SeedHallAsync();
        var other = await hall.SeedHallAsync();
        var manager = Caller("manager-test-1", "staff", other.BranchId.ToString());
        var before = await SnapshotAsync(hall);

        var statuses = new[]
        {
            (await Configure(hall, c => c.UpdateBranchAsync(manager, layout.BranchId, NewBranch, null, CancellationToken.None))).Status,
            (await Configure(hall, c => c.CreateServiceAsync(manager, layout.BranchId, Deposits with { Prefix = "Q" }, null, CancellationToken.None))).Status,
            (await Configure(hall, c => c.UpdateServiceAsync(manager, layout.ServiceA, Deposits, null, CancellationToken.None))).Status,
            (await CounterAsync(hall, c => c.CreateCounterAsync(manager, layout.BranchId, new CounterInput("Window 8", 8, [layout.ServiceA]), null, CancellationToken.None))).Status,
            (await CounterAsync(hall, c => c.UpdateCounterAsync(manager, layout.CounterA, new CounterInput("Window 8", 8, [layout.ServiceA]), null, CancellationToken.None))).Status,
        };
        var visible = await hall.InScopeAsync(s => s.GetRequiredService<IBranchConfiguration>().ListAsync(manager, CancellationToken.None));
        var direct = await hall.InScopeAsync(s => s.GetRequiredService<IBranchConfiguration>().GetAsync(manager, layout.BranchId, CancellationToken.None));

        Assert.All(statuses, s => Assert.Equal(ConfigurationStatus.NotFound, s));
        Assert.Equal([other.BranchId], visible.Select(b => b.Id));
        Assert.Null(direct);
        Assert.Equal(before, await SnapshotAsync(hall));
        Assert.Empty(trail.Events);
    }

    private static async Task<T> ConfigureAsync<T>(QueueHarness hall, Func<IBranchConfiguration, Task<ConfigurationResult<T>>> action)
    {
        var result = await hall.InScopeAsync(s => action(s.GetRequiredService<IBranchConfiguration>()));
        Assert.True(result.Status == ConfigurationStatus.Ok, result.FirstError);
        return result.Value!;
    }

    private static Task<ConfigurationResult<T>> Configure<T>(QueueHarness hall, Func<IBranchConfiguration, Task<ConfigurationResult<T>>> action) =>
        hall.InScopeAsync(s => action(s.GetRequiredService<IBranchConfiguration>()));

    private static Task<ConfigurationResult<CounterSettings>> CounterAsync(QueueHarness hall, Func<IBranchConfiguration, Task<ConfigurationResult<CounterSettings>>> action) =>
        Configure(hall, action);

    /// <summary>Every configuration row as text, to prove a refused change changed nothing.</summary>
    private static Task<Snapshot> SnapshotAsync(QueueHarness hall) => hall.InScopeAsync(async s =>
    {
        var db = s.GetRequiredService<QueueingDbContext>();
        var branches = await db.Branches.AsNoTracking().OrderBy(b => b.Id).Select(b => b.Id + b.Name + b.TimeZoneId + b.ShowMaskedNames).ToListAsync();
        var services = await db.Services.AsNoTracking().OrderBy(x => x.Id)
            .Select(x => x.Id + x.Name + x.BusinessType + x.Prefix + x.DailyCap + x.WaitingWarningLevel + x.CollectsPhone + x.PhonePurpose).ToListAsync();
        var counters = await db.Counters.AsNoTracking().Include(c => c.Services).OrderBy(c => c.Id).ToListAsync();
        return new Snapshot(
            string.Join('|', branches),
            string.Join('|', services),
            string.Join('|', counters.Select(c => c.Id + c.Name + c.WindowNumber + string.Join(',', c.Services.Select(x => x.ServiceId).Order()))));
    });

    private sealed record Snapshot(string Branches, string Services, string Counters);

    private sealed class RecordingTrail : IAuditTrail
    {
        public ConcurrentQueue<AuditEvent> Events { get; } = new();

        public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
        {
            Events.Enqueue(auditEvent);
            return ValueTask.FromResult((long)Events.Count);
        }
    }
}
