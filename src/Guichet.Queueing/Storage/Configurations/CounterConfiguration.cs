using Guichet.Queueing.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guichet.Queueing.Storage.Configurations;

internal sealed class CounterConfiguration : IEntityTypeConfiguration<Counter>
{
    public void Configure(EntityTypeBuilder<Counter> builder)
    {
        builder.ToTable("queue_counters");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(Counter.NameMaxLength);
        builder.Property(c => c.StaffMemberId).HasMaxLength(100);
        builder.HasOne<Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.BranchId, c.WindowNumber }).IsUnique();
        builder.HasMany(c => c.Services).WithOne().HasForeignKey(s => s.CounterId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CounterServiceConfiguration : IEntityTypeConfiguration<CounterService>
{
    public void Configure(EntityTypeBuilder<CounterService> builder)
    {
        builder.ToTable("queue_counter_services");
        builder.HasKey(s => new { s.CounterId, s.ServiceId });
        builder.HasOne<Service>().WithMany().HasForeignKey(s => s.ServiceId).OnDelete(DeleteBehavior.Cascade);
    }
}
