using BenchmarkDotNet.Attributes;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Benchmarks.Queueing;

/// <summary>
/// The calling rule as the server runs it: the next ticket a counter may call (priority
/// first, then longest waiting across the counter's services) and the counter's waiting
/// list, on a real SQLite file holding a deep queue in three services, one in twenty
/// tickets a priority ticket.
/// </summary>
[MemoryDiagnoser]
public class CallingRuleBenchmarks
{
    private readonly Guid _branchId = Guid.NewGuid();
    private readonly Guid _counterId = Guid.NewGuid();
    private readonly List<Guid> _counterServices = [];
    private string _directory = string.Empty;
    private DbContextOptions<SqliteQueueingDbContext> _options = null!;

    /// <summary>Tickets waiting in the branch.</summary>
    [Params(1_000, 100_000)]
    public int Waiting { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "guichet-calling-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var builder = new DbContextOptionsBuilder<SqliteQueueingDbContext>();
        QueueingStorage.ConfigureSqlite(builder, $"Data Source={Path.Combine(_directory, "guichet.db")}");
        _options = builder.Options;

        await using var db = new SqliteQueueingDbContext(_options);
        await db.Database.MigrateAsync();
        var now = new DateTime(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc);
        db.Branches.Add(new Branch { Id = _branchId, Name = "Bench branch", TimeZoneId = "UTC", OpeningHours = WeeklyHours.Always, CreatedAt = now });
        var services = Enumerable.Range(0, 3).Select(i => new Service
        {
            Id = Guid.NewGuid(),
            BranchId = _branchId,
            Name = $"Bench service {i}",
            BusinessType = "Bench",
            Prefix = ((char)('A' + i)).ToString(),
            ServiceHours = WeeklyHours.Always,
            DailyCap = 1_000_000,
        }).ToList();
        db.Services.AddRange(services);
        _counterServices.AddRange(services.Take(2).Select(s => s.Id));
        db.Counters.Add(new Counter
        {
            Id = _counterId,
            BranchId = _branchId,
            Name = "Bench window",
            WindowNumber = 1,
            Services = [.. _counterServices.Select(id => new CounterService { CounterId = _counterId, ServiceId = id })],
        });
        await db.SaveChangesAsync();

        var day = DateOnly.FromDateTime(now);
        for (var start = 0; start < Waiting; start += 10_000)
        {
            var batch = Enumerable.Range(start, Math.Min(10_000, Waiting - start)).Select(i =>
            {
                var service = services[i % services.Count];
                return new Ticket
                {
                    Id = Guid.NewGuid(),
                    BranchId = _branchId,
                    ServiceId = service.Id,
                    IssuedServiceId = service.Id,
                    ServiceDay = day,
                    Sequence = i + 1,
                    Number = $"{service.Prefix}{i % 1000:000}",
                    Channel = TicketChannel.Kiosk,
                    Priority = i % 20 == 0 ? TicketPriority.Priority : TicketPriority.Normal,
                    Status = TicketStatus.Waiting,
                    ArrivedAt = now.AddMilliseconds(i),
                    QueuedAt = now.AddMilliseconds(i),
                    TrackerToken = TrackerToken.Create(new DateTimeOffset(now.AddMilliseconds(i), TimeSpan.Zero)),
                };
            });
            db.Tickets.AddRange(batch);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "next ticket for a counter")]
    public async Task<Guid> NextTicket()
    {
        await using var db = new SqliteQueueingDbContext(_options);
        return (await QueueQueries.CallableByAsync(db, _branchId, _counterId, _counterServices, limit: 1, CancellationToken.None))[0].Id;
    }

    [Benchmark(Description = "counter's waiting list (first 50, as the console shows)")]
    public async Task<int> WaitingList()
    {
        await using var db = new SqliteQueueingDbContext(_options);
        var list = await QueueQueries.CallableByAsync(db, _branchId, _counterId, _counterServices, CounterDesk.WaitingListLimit, CancellationToken.None);
        return list.Count;
    }
}
