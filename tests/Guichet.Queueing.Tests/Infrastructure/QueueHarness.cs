using Guichet.Privacy;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Storage;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Guichet.Queueing.Tests.Infrastructure;

/// <summary>
/// The queue module over a fresh database (SQLite in a temp directory by default), with a
/// fake clock, driven through its own services as the API would drive it.
/// </summary>
internal sealed class QueueHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private QueueHarness(ServiceProvider provider, FakeTimeProvider time, string connectionString)
    {
        this.provider = provider;
        Time = time;
        ConnectionString = connectionString;
    }

    /// <summary>A Monday, 10:00 UTC: inside the default opening hours.</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => provider;

    public static string NewSqliteConnectionString()
    {
        var directory = Path.Combine(Path.GetTempPath(), "guichet-queue-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return $"Data Source={Path.Combine(directory, "guichet.db")}";
    }

    public static async Task<QueueHarness> StartAsync(
        string? connectionString = null, DatabaseProvider provider = DatabaseProvider.Sqlite, FakeTimeProvider? time = null, bool migrate = true, Action<IServiceCollection>? configure = null)
    {
        connectionString ??= NewSqliteConnectionString();
        time ??= new FakeTimeProvider(DefaultStart);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Guichet"] = connectionString,
            ["Database:Provider"] = provider.ToString(),
            // The privacy kernel keeps its keys here (only touched when a ticket carries a phone).
            ["Guichet:DataDirectory"] = Path.Combine(Path.GetTempPath(), "guichet-queue-tests", Guid.NewGuid().ToString("N")),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(time);
        configure?.Invoke(services);
        // The kernel's own stand-in refuses every record (fail closed); queue tests that are
        // not about auditing run with a ledger that accepts, as the host's real one does.
        services.TryAddSingleton<IAuditTrail, AcceptingAuditTrail>();
        services.AddPrivacy(configuration);
        services.AddQueueing(configuration);
        var built = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        if (migrate)
        {
            await QueueingModule.MigrateAsync(built, CancellationToken.None);
        }

        return new QueueHarness(built, time, connectionString);
    }

    /// <summary>A second instance over the same database (its own process-local gate and publisher).</summary>
    public Task<QueueHarness> StartSiblingAsync() =>
        StartAsync(ConnectionString, Services.GetRequiredService<DatabaseSettings>().Provider, Time, migrate: false);

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<Outcome<TicketIssuedView>> IssueAsync(Guid branchId, Guid serviceId, TicketPriority priority = TicketPriority.Normal, TicketChannel channel = TicketChannel.Kiosk) =>
        InScopeAsync(s => s.GetRequiredService<TicketDesk>().IssueAsync(
            new TicketRequest(branchId, serviceId, channel, priority, priority == TicketPriority.Priority ? PriorityReason.Elderly : null), CancellationToken.None));

    public async Task<TicketIssuedView> IssueOkAsync(Guid branchId, Guid serviceId, TicketPriority priority = TicketPriority.Normal)
    {
        var outcome = await IssueAsync(branchId, serviceId, priority);
        Assert.Equal(OutcomeKind.Ok, outcome.Kind);
        return outcome.Value!;
    }

    public Task<Outcome<CounterActionView>> AtCounterAsync(Guid counterId, Func<CounterDesk, StaffActor, Guid, Task<Outcome<CounterActionView>>> action, StaffActor? actor = null) =>
        InScopeAsync(s => action(s.GetRequiredService<CounterDesk>(), actor ?? Staff, counterId));

    public static StaffActor Staff { get; } = new(BranchScope.Everything, "staff-test-1");

    public Task<Outcome<CounterActionView>> CallNextAsync(Guid counterId) =>
        AtCounterAsync(counterId, (d, a, id) => d.CallNextAsync(a, id, CancellationToken.None));

    public async Task<HallLayout> SeedHallAsync(
        string timeZone = "Etc/UTC", WeeklyHours? hours = null, int dailyCap = 999, WeeklyHours? serviceHours = null, int warningLevel = 5)
    {
        var branch = new Branch { Id = Guid.NewGuid(), Name = "Test Branch", TimeZoneId = timeZone, OpeningHours = hours ?? WeeklyHours.Always, CreatedAt = Time.GetUtcNow().UtcDateTime };
        Service NewService(string name, string prefix) => new()
        {
            Id = Guid.NewGuid(),
            BranchId = branch.Id,
            Name = name,
            BusinessType = name,
            Prefix = prefix,
            DailyCap = dailyCap,
            WaitingWarningLevel = warningLevel,
            DefaultServiceMinutes = 4,
            ServiceHours = serviceHours,
        };
        var a = NewService("Deposits", "A");
        var b = NewService("Loans", "B");
        var c = NewService("Enquiries", "C");
        Counter NewCounter(int window, params Service[] served) => new()
        {
            Id = Guid.NewGuid(),
            BranchId = branch.Id,
            Name = $"Window {window}",
            WindowNumber = window,
            Services = [.. served.Select(s => new CounterService { ServiceId = s.Id })],
        };
        var counterAb = NewCounter(1, a, b);
        var counterA = NewCounter(2, a);
        var counterC = NewCounter(3, c);
        await InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<QueueingDbContext>();
            db.Branches.Add(branch);
            db.Services.AddRange(a, b, c);
            db.Counters.AddRange(counterAb, counterA, counterC);
            return await db.SaveChangesAsync();
        });
        return new HallLayout(branch.Id, a.Id, b.Id, c.Id, counterAb.Id, counterA.Id, counterC.Id);
    }

    public Task<int> CountTicketsAsync() =>
        InScopeAsync(s => s.GetRequiredService<QueueingDbContext>().Tickets.CountAsync());

    public Task<List<TicketEvent>> HistoryAsync(Guid ticketId) =>
        InScopeAsync(s => s.GetRequiredService<QueueingDbContext>().TicketEvents.AsNoTracking()
            .Where(e => e.TicketId == ticketId).OrderBy(e => e.Id).ToListAsync());

    public Task<Ticket> TicketAsync(Guid ticketId) =>
        InScopeAsync(s => s.GetRequiredService<QueueingDbContext>().Tickets.AsNoTracking().FirstAsync(t => t.Id == ticketId));

    public async ValueTask DisposeAsync() => await provider.DisposeAsync();
}

/// <summary>One branch: services A, B, C; window 1 serves A+B, window 2 serves A, window 3 serves C.</summary>
internal sealed record HallLayout(Guid BranchId, Guid ServiceA, Guid ServiceB, Guid ServiceC, Guid CounterAb, Guid CounterA, Guid CounterC);

/// <summary>An audit trail that commits every event, numbering them in order.</summary>
internal sealed class AcceptingAuditTrail : IAuditTrail
{
    private long sequence;

    public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Interlocked.Increment(ref sequence));
}
