using Guichet.Customers.Domain;
using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Guichet.Customers.Storage;

/// <summary>
/// The customers' table. One subclass per provider carries that provider's migrations
/// (Migrations/Sqlite, Migrations/Postgres); the model is the same.
/// </summary>
internal abstract class CustomersDbContext : DbContext
{
    public const string MigrationsHistoryTable = "__customers_migrations";

    protected CustomersDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Customer> Customers => Set<Customer>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CustomersDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
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

internal sealed class SqliteCustomersDbContext : CustomersDbContext
{
    public SqliteCustomersDbContext(DbContextOptions<SqliteCustomersDbContext> options)
        : base(options)
    {
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

internal sealed class PostgresCustomersDbContext : CustomersDbContext
{
    public PostgresCustomersDbContext(DbContextOptions<PostgresCustomersDbContext> options)
        : base(options)
    {
    }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
