using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Guichet.Audit.Storage;

/// <summary>
/// The ledger's tables in the installation's one database. Each provider has its own
/// derived context so that the SQLite and PostgreSQL migrations can live side by side.
/// </summary>
internal abstract class AuditDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The migrations-history table of this module.</summary>
    public const string HistoryTable = "__audit_migrations";

    public DbSet<LedgerEntry> Entries => Set<LedgerEntry>();

    public DbSet<CheckpointRecord> Checkpoints => Set<CheckpointRecord>();

    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();

    public DbSet<HoneytokenRecord> Honeytokens => Set<HoneytokenRecord>();

    public DbSet<AlertRecord> Alerts => Set<AlertRecord>();

    public DbSet<FreezeRecord> Freezes => Set<FreezeRecord>();

    public abstract bool IsPostgres { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AuditDbContext).Assembly);
    }

    /// <summary>Every time is UTC; SQLite hands values back without a kind.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

internal sealed class SqliteAuditDbContext(DbContextOptions<SqliteAuditDbContext> options) : AuditDbContext(options)
{
    public override bool IsPostgres => false;
}

internal sealed class PostgresAuditDbContext(DbContextOptions<PostgresAuditDbContext> options) : AuditDbContext(options)
{
    public override bool IsPostgres => true;
}
