using Guichet.Privacy.Storage;
using Guichet.Queueing.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Guichet.Queueing.Storage;

/// <summary>
/// The queue's tables. One subclass per provider carries that provider's migrations
/// (Migrations/Sqlite, Migrations/Postgres); the model is the same.
/// </summary>
internal abstract class QueueingDbContext : DbContext
{
    public const string MigrationsHistoryTable = "__queueing_migrations";

    protected QueueingDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Branch> Branches => Set<Branch>();

    public DbSet<Service> Services => Set<Service>();

    public DbSet<Counter> Counters => Set<Counter>();

    public DbSet<CounterService> CounterServices => Set<CounterService>();

    public DbSet<Ticket> Tickets => Set<Ticket>();

    public DbSet<TicketEvent> TicketEvents => Set<TicketEvent>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(QueueingDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is UTC, stored and read back as such (local days are computed from the
        // branch's time zone, never from the server's).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter : ValueConverter<DateTime, DateTime>
    {
        public UtcDateTimeConverter()
            : base(
                value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
                value => DateTime.SpecifyKind(value, DateTimeKind.Utc))
        {
        }
    }
}

internal sealed class SqliteQueueingDbContext : QueueingDbContext
{
    public SqliteQueueingDbContext(DbContextOptions<SqliteQueueingDbContext> options)
        : base(options)
    {
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

internal sealed class PostgresQueueingDbContext : QueueingDbContext
{
    public PostgresQueueingDbContext(DbContextOptions<PostgresQueueingDbContext> options)
        : base(options)
    {
    }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
