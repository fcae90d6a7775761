using Guichet.Queueing.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guichet.Queueing.Storage.Configurations;

internal sealed class BranchConfiguration : IEntityTypeConfiguration<Branch>
{
    public void Configure(EntityTypeBuilder<Branch> builder)
    {
        builder.ToTable("queue_branches");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Name).HasMaxLength(Branch.NameMaxLength);
        builder.Property(b => b.TimeZoneId).HasMaxLength(Branch.TimeZoneMaxLength);
        builder.Property(b => b.OpeningHours).HasMaxLength(WeeklyHoursConversion.MaxLength).HasConversion(WeeklyHoursConversion.Converter, WeeklyHoursConversion.Comparer);
        builder.Ignore(b => b.TimeZone);
    }
}
