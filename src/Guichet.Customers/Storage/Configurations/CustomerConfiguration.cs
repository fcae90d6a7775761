using Guichet.Customers.Domain;
using Guichet.Privacy.Protection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guichet.Customers.Storage.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("customers");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.SubjectId).HasMaxLength(64);
        builder.Property(c => c.BranchId).HasMaxLength(Customer.BranchIdMaxLength);
        builder.Property(c => c.Name).HasMaxLength(512);
        builder.Property(c => c.Phone).HasMaxLength(128);
        builder.Property(c => c.PhoneIndex).HasMaxLength(PhoneIndexes.FullLength);
        builder.Property(c => c.PhoneLastFour).HasMaxLength(PhoneIndexes.LastFourLength);
        builder.Property(c => c.IdNumber).HasMaxLength(128);
        builder.Property(c => c.IdNumberIndex).HasMaxLength(PhoneIndexes.FullLength);
        builder.Property(c => c.Note).HasMaxLength(4096);
        builder.Property(c => c.Version).IsConcurrencyToken();

        // Staff find a customer by full phone, last four digits or ID number without decrypting:
        // each search is one index seek.
        builder.HasIndex(c => c.PhoneIndex);
        builder.HasIndex(c => c.PhoneLastFour);
        builder.HasIndex(c => c.IdNumberIndex);
        builder.HasIndex(c => c.SubjectId).IsUnique();
    }
}
