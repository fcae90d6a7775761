using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Identity.Data;

/// <summary>
/// Identity's tables (schema version 3: passkeys) plus Guichet's enrolment links, sessions,
/// sign-in throttles, devices and API keys. Each provider has its own subclass so that the
/// SQLite and PostgreSQL migrations live side by side in this assembly.
/// </summary>
internal abstract class GuichetIdentityDbContext(DbContextOptions options) : IdentityDbContext<GuichetUser>(options)
{
    public const string MigrationsHistoryTable = "__IdentityMigrationsHistory";

    public DbSet<EnrolmentToken> EnrolmentTokens => Set<EnrolmentToken>();

    public DbSet<StaffSession> StaffSessions => Set<StaffSession>();

    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();

    public DbSet<EnrolledDevice> Devices => Set<EnrolledDevice>();

    public DbSet<DeviceEnrolmentCode> DeviceEnrolmentCodes => Set<DeviceEnrolmentCode>();

    public DbSet<ApiClientKey> ApiKeys => Set<ApiClientKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<EnrolmentToken>(token =>
        {
            token.ToTable("GuichetEnrolmentTokens");
            token.HasIndex(t => t.SecretHash).IsUnique();
            token.Property(t => t.UserId).HasMaxLength(64);
            token.Property(t => t.CreatedBy).HasMaxLength(64);
        });
        builder.Entity<StaffSession>(session =>
        {
            session.ToTable("GuichetStaffSessions");
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.UserId).HasMaxLength(64);
            session.Property(s => s.Method).HasMaxLength(32);
            session.Property(s => s.ClientAddress).HasMaxLength(64);
            session.Property(s => s.UserAgent).HasMaxLength(256);
            session.Property(s => s.EndReason).HasMaxLength(64);
            session.HasIndex(s => new { s.UserId, s.CreatedAt });
        });
        builder.Entity<SignInThrottle>(throttle =>
        {
            throttle.ToTable("GuichetSignInThrottles");
            throttle.HasKey(t => t.Key);
            throttle.Property(t => t.Key).HasMaxLength(300);
        });
        builder.Entity<EnrolledDevice>(device =>
        {
            device.ToTable("GuichetDevices");
            device.Property(d => d.Name).HasMaxLength(100);
            device.Property(d => d.BranchId).HasMaxLength(64);
        });
        builder.Entity<DeviceEnrolmentCode>(code =>
        {
            code.ToTable("GuichetDeviceEnrolmentCodes");
            code.HasIndex(c => c.CodeHash).IsUnique();
            code.Property(c => c.Name).HasMaxLength(100);
            code.Property(c => c.BranchId).HasMaxLength(64);
        });
        builder.Entity<ApiClientKey>(key =>
        {
            key.ToTable("GuichetApiKeys");
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.BranchId).HasMaxLength(64);
            key.Property(k => k.OwnerUserId).HasMaxLength(64);
            key.Property(k => k.Role).HasConversion<string>().HasMaxLength(32);
        });
    }
}

internal sealed class SqliteIdentityDbContext(DbContextOptions<SqliteIdentityDbContext> options) : GuichetIdentityDbContext(options)
{
    // SQLite cannot compare or order DateTimeOffset values; store UTC instants as Unix milliseconds.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
    }
}

internal sealed class PostgresIdentityDbContext(DbContextOptions<PostgresIdentityDbContext> options) : GuichetIdentityDbContext(options);

internal sealed class UnixMillisecondsConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    value => value.ToUnixTimeMilliseconds(),
    value => DateTimeOffset.FromUnixTimeMilliseconds(value));
