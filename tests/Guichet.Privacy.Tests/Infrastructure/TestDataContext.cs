using Guichet.Privacy.Classification;
using Guichet.Privacy.Protection;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Privacy.Tests.Infrastructure;

/// <summary>A domain module's storage as the kernel expects it: ciphertext and blind-index columns, classified.</summary>
[PersonalDataEntity("customer")]
internal sealed class TestCustomer
{
    public int Id { get; set; }

    [NotPersonalData("Pseudonymous subject id used to find the customer's key")]
    public required string SubjectId { get; set; }

    [PersonalData(PersonalDataCategory.Phone, Purpose = "Call the customer when their ticket is called", Retention = "30 days after the last visit")]
    public required byte[] Phone { get; set; }

    [BlindIndexColumn(nameof(Phone), PhoneIndexes.Full)]
    public required byte[] PhoneIndex { get; set; }

    [BlindIndexColumn(nameof(Phone), PhoneIndexes.LastFour)]
    public required byte[] PhoneLastFour { get; set; }
}

internal sealed class TestDataContext(string databasePath) : DbContext
{
    public DbSet<TestCustomer> Customers => Set<TestCustomer>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseSqlite($"Data Source={databasePath};Pooling=False");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TestCustomer>().ToTable("customers");
        modelBuilder.Entity<TestCustomer>().HasIndex(c => c.PhoneIndex);
        modelBuilder.Entity<TestCustomer>().HasIndex(c => c.PhoneLastFour);
    }
}
