using Microsoft.EntityFrameworkCore;

namespace Guichet.Privacy.Storage;

/// <summary>
/// The key ring: wrapped data keys and rewrap checkpoints. By default it is its own SQLite
/// database in the key directory, apart from the data database, so that a copy of the data
/// database never carries the keys that read it (docs/privacy.md, "Where keys live").
/// </summary>
internal abstract class PrivacyDbContext(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__privacy_migrations";

    public DbSet<DataKeyRecord> DataKeys => Set<DataKeyRecord>();

    public DbSet<DataKeyVersionRecord> DataKeyVersions => Set<DataKeyVersionRecord>();

    public DbSet<RewrapCheckpointRecord> RewrapCheckpoints => Set<RewrapCheckpointRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<DataKeyRecord>(key =>
        {
            key.ToTable("privacy_data_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Scope).HasMaxLength(200);
            key.HasIndex(k => k.Scope).IsUnique();
            key.HasMany(k => k.Versions).WithOne().HasForeignKey(v => v.KeyId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<DataKeyVersionRecord>(version =>
        {
            version.ToTable("privacy_data_key_versions");
            version.HasKey(v => new { v.KeyId, v.Version });
            version.Property(v => v.WrappedKey).HasMaxLength(128);
        });
        modelBuilder.Entity<RewrapCheckpointRecord>(checkpoint =>
        {
            checkpoint.ToTable("privacy_rewrap_checkpoints");
            checkpoint.HasKey(c => c.Source);
            checkpoint.Property(c => c.Source).HasMaxLength(200);
            checkpoint.Property(c => c.Cursor).HasMaxLength(200);
        });
    }
}

internal sealed class SqlitePrivacyDbContext(DbContextOptions<SqlitePrivacyDbContext> options) : PrivacyDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no offset-aware type; UTC ticks keep ordering and comparisons correct.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
    }
}

internal sealed class PostgresPrivacyDbContext(DbContextOptions<PostgresPrivacyDbContext> options) : PrivacyDbContext(options);
