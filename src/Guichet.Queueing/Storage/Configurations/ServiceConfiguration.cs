using Guichet.Queueing.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Guichet.Queueing.Storage.Configurations;

internal sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> builder)
    {
        builder.ToTable("queue_services");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(Service.NameMaxLength);
        builder.Property(s => s.BusinessType).HasMaxLength(Service.BusinessTypeMaxLength);
        builder.Property(s => s.Prefix).HasMaxLength(Service.PrefixMaxLength);
        builder.Property(s => s.PhonePurpose).HasMaxLength(Service.PurposeMaxLength);
        builder.Property(s => s.IdNumberPurpose).HasMaxLength(Service.PurposeMaxLength);
        builder.Property(s => s.ServiceHours).HasMaxLength(WeeklyHoursConversion.MaxLength).HasConversion((ValueConverter)WeeklyHoursConversion.Converter, WeeklyHoursConversion.Comparer);
        builder.HasOne<Branch>().WithMany().HasForeignKey(s => s.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.BranchId, s.Prefix }).IsUnique();
    }
}
