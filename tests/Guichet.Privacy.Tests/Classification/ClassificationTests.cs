using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Privacy.Tests.Classification;

public class ClassificationTests
{
    [Fact]
    public void Sound_model_passes_the_check()
    {
        using var context = new TestDataContext(":memory:");
        Assert.Empty(PersonalDataModelCheck.FindProblems(context.Model));
        PersonalDataModelCheck.AssertSound(context);
    }

    [Fact]
    public void Unclassified_and_plaintext_personal_fields_fail_the_check()
    {
        using var context = new LeakyContext();

        var problems = PersonalDataModelCheck.FindProblems(context.Model);

        Assert.Contains(problems, p => p.StartsWith("LeakyCustomer.Note (String) of personal-data entity LeakyCustomer is unclassified", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("LeakyCustomer.Name is classified Name but stored as String", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("LeakyCustomer.Email is classified Email without a purpose", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("LeakyCustomer.Orphan is a blind index of Missing", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("Branch", StringComparison.Ordinal));
        Assert.Equal(4, problems.Count);
        Assert.Throws<InvalidOperationException>(() => PersonalDataModelCheck.AssertSound(context));
    }

    [Fact]
    public void Register_lists_every_personal_field_with_purpose_storage_and_roles()
    {
        using var context = new TestDataContext(":memory:");

        var register = DataRegister.Build([context.Model]);
        var markdown = DataRegister.ToMarkdown(register);
        var json = DataRegister.ToJson(register);

        var phone = Assert.Single(register);
        Assert.Equal(("customer", "Phone", "customers", "Phone", PersonalDataCategory.Phone), (phone.Entity, phone.Field, phone.Table, phone.Column, phone.Category));
        Assert.Equal(["full", "last4"], phone.BlindIndexes);
        Assert.Contains(StaffRole.CounterStaff, phone.SeeMasked);
        Assert.DoesNotContain(StaffRole.CounterStaff, phone.MayReveal);
        Assert.Contains(StaffRole.ServiceAgent, phone.MayReveal);
        Assert.DoesNotContain(StaffRole.Administrator, phone.SeeMasked);
        Assert.Contains("| customer | Phone | Phone | Personal | Call the customer when their ticket is called | 30 days after the last visit | `customers.Phone` |", markdown, StringComparison.Ordinal);
        Assert.Contains("\"purpose\": \"Call the customer when their ticket is called\"", json, StringComparison.Ordinal);
    }

    private sealed class LeakyCustomer
    {
        public int Id { get; set; }

        [PersonalData(PersonalDataCategory.Name, Purpose = "Greet", Retention = "1 day")]
        public string Name { get; set; } = string.Empty;

        [PersonalData(PersonalDataCategory.Email)]
        public byte[] Email { get; set; } = [];

        public string? Note { get; set; }

        [BlindIndexColumn("Missing", "full")]
        public byte[] Orphan { get; set; } = [];
    }

    private sealed class Branch
    {
        public int Id { get; set; }

        public string Name { get; set; } = string.Empty;
    }

    private sealed class LeakyContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseSqlite("Data Source=:memory:");

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<LeakyCustomer>();
            modelBuilder.Entity<Branch>();
        }
    }
}
