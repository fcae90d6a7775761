using Guichet.Customers.Directory;
using Guichet.Customers.Import;
using Guichet.Customers.Storage;
using Guichet.Customers.Tests.Infrastructure;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Indexing;
using Guichet.Privacy.Protection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Customers.Tests.Directory;

public sealed class CustomerDirectoryTests
{
    private static readonly Caller Agent = CustomerHarness.Staff(StaffRole.ServiceAgent, "branch-a");
    private static readonly Caller Officer = CustomerHarness.Staff(StaffRole.PrivacyOfficer, GuichetClaimTypes.AllBranches);

    [Fact]
    public async Task Every_personal_column_is_classified_and_stored_through_the_kernel()
    {
        await using var harness = await CustomerHarness.StartAsync();
        await using var scope = harness.Services.CreateAsyncScope();
        PersonalDataModelCheck.AssertSound(scope.ServiceProvider.GetRequiredService<CustomersDbContext>());
    }

    [Fact]
    public async Task A_search_decrypts_only_the_rows_it_returns_and_records_each_as_looked_up()
    {
        await using var harness = await CustomerHarness.StartAsync();
        for (var i = 0; i < 40; i++)
        {
            await harness.InScopeAsync(d => d.CreateAsync(Agent, new NewCustomer("branch-a", $"Test Person {i}", $"+86 138 0000 {1000 + i:D4}", Note: "test note"), CancellationToken.None));
        }

        // Same last four digits, other number: the last-four search finds both, the full search one.
        var twin = await harness.InScopeAsync(d => d.CreateAsync(Agent, new NewCustomer("branch-a", "Test Twin", "+86 139 0000 1007"), CancellationToken.None));
        harness.Protector.Reset();
        var before = harness.Audit.Events.Count;

        var byPhone = await harness.InScopeAsync(d => d.SearchAsync(Agent, new CustomerSearch("138-0000-1007", null, null), CancellationToken.None));
        var found = Assert.Single(byPhone);
        Assert.Equal("138****1007", found.Phone.Text);
        // Name, phone and note of the one match: three values, all of that row.
        Assert.Equal([found.Id.ToString()], harness.Protector.DecryptedRows.Distinct());
        Assert.Equal(3, harness.Protector.DecryptedRows.Count);

        harness.Protector.Reset();
        var byLastFour = await harness.InScopeAsync(d => d.SearchAsync(Agent, new CustomerSearch(null, "1007", null), CancellationToken.None));
        Assert.Equal(2, byLastFour.Count);
        Assert.Contains(byLastFour, c => c.Id == twin!.Id);
        Assert.Equal(byLastFour.Select(c => c.Id.ToString()).Order(), harness.Protector.DecryptedRows.Distinct().Order());

        var lookups = harness.Audit.Events.Skip(before).Where(e => e.Action == "customer.lookup").ToList();
        Assert.Equal(3, lookups.Count);
        Assert.All(lookups, e => Assert.Equal(("customer", "staff", "ServiceAgent-1"), (e.ResourceType, e.Actor.Kind.ToString().ToLowerInvariant(), e.Actor.Id)));
    }

    [Fact]
    public async Task When_the_ledger_cannot_record_a_lookup_nothing_is_returned()
    {
        await using var harness = await CustomerHarness.StartAsync();
        await harness.InScopeAsync(d => d.CreateAsync(Agent, new NewCustomer("branch-a", "Test Person", "+86 138 0000 2001"), CancellationToken.None));
        harness.Audit.Fail = true;

        await Assert.ThrowsAsync<AuditUnavailableException>(() => harness.InScopeAsync(d => d.SearchAsync(Agent, new CustomerSearch(null, "2001", null), CancellationToken.None)));
        var reveal = await harness.InScopeAsync(async d =>
        {
            harness.Audit.Fail = false;
            var id = (await d.SearchAsync(Agent, new CustomerSearch(null, "2001", null), CancellationToken.None))[0].Id;
            harness.Audit.Fail = true;
            return await d.RevealAsync(Agent, id, CustomerFields.Phone, "Call back", CancellationToken.None);
        });
        Assert.Equal(RevealOutcomeKind.AuditUnavailable, reveal.Kind);
        Assert.Null(reveal.Value);
    }

    [Fact]
    public async Task A_reveal_is_recorded_against_the_customer_with_its_purpose()
    {
        await using var harness = await CustomerHarness.StartAsync();
        var created = await harness.InScopeAsync(d => d.CreateAsync(Agent, new NewCustomer("branch-a", "Test Person", "+86 138 0000 2002", "11010519491231002X"), CancellationToken.None));

        var reveal = await harness.InScopeAsync(d => d.RevealAsync(Agent, created!.Id, CustomerFields.IdNumber, "Verify identity for the account opening", CancellationToken.None));

        Assert.Equal("11010519491231002X", reveal.Value?.Value);
        Assert.Equal("110105********002X", created!.IdNumber?.Text);
        var entry = harness.Audit.Events.Single(e => e.Action.EndsWith(".reveal", StringComparison.Ordinal));
        Assert.Equal(("customer", created.Id.ToString(), "Verify identity for the account opening"), (entry.ResourceType, entry.ResourceId, entry.Purpose));
    }

    [Fact]
    public async Task Erasing_a_customer_makes_an_older_copy_of_the_database_unreadable_for_them_only()
    {
        await using var harness = await CustomerHarness.StartAsync();
        var erased = await harness.InScopeAsync(d => d.CreateAsync(Agent, new NewCustomer("branch-a", "Test Erased", "+86 138 0000 3001", "11010519491231002X", "a note"), CancellationToken.None));
        var kept = await harness.InScopeAsync(d => d.CreateAsync(Agent, new NewCustomer("branch-a", "Test Kept", "+86 138 0000 3002"), CancellationToken.None));

        // The copy a backup would hold, taken before the erasure.
        var copy = Path.Combine(harness.DataDirectory, "copy-of-guichet.db");
        await using (var connection = new SqliteConnection($"Data Source={harness.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await command.ExecuteNonQueryAsync();
        }

        File.Copy(harness.DatabasePath, copy);

        Assert.True(await harness.InScopeAsync(d => d.EraseAsync(Officer, erased!.Id, CancellationToken.None)));
        Assert.Null(await harness.InScopeAsync(d => d.GetAsync(Officer, erased!.Id, CancellationToken.None)));
        Assert.Contains(harness.Audit.Events, e => e.Action == "customer.erase" && e.ResourceId == erased!.Id.ToString());

        // The copy, opened with the current keys: the erased customer's fields do not decrypt, the other's do.
        await using var fromCopy = await CustomerHarness.StartAsync(harness.DataDirectory, copy);
        var old = await fromCopy.InScopeAsync(d => d.GetAsync(Officer, erased!.Id, CancellationToken.None));
        Assert.NotNull(old);
        Assert.All(new[] { old.Name, old.Phone, old.IdNumber!, old.Note! }, f => Assert.Equal((FieldView.Erased, (string?)null), (f.View, f.Text)));
        var reveal = await fromCopy.InScopeAsync(d => d.RevealAsync(Officer, erased!.Id, CustomerFields.Phone, "Data-subject request", CancellationToken.None));
        Assert.Equal(RevealOutcomeKind.Erased, reveal.Kind);
        var other = await fromCopy.InScopeAsync(d => d.GetAsync(Officer, kept!.Id, CancellationToken.None));
        Assert.Equal((FieldView.Masked, "138****3002"), (other!.Phone.View, other.Phone.Text));
        Assert.Equal("+8613800003002", (await fromCopy.InScopeAsync(d => d.RevealAsync(Officer, kept!.Id, CustomerFields.Phone, "Data-subject request", CancellationToken.None))).Value?.Value);
    }

    [Fact]
    public async Task Invalid_values_are_refused_with_a_message_that_does_not_repeat_them()
    {
        await using var harness = await CustomerHarness.StartAsync();
        var ex = await Assert.ThrowsAsync<InvalidPersonalDataException>(() => harness.InScopeAsync(d => d.CreateAsync(Agent, new NewCustomer("branch-a", "Test Person", "+86 138 0000 4001", "110105194912310021"), CancellationToken.None)));
        Assert.DoesNotContain("110105194912310021", ex.Message, StringComparison.Ordinal);
        await using var scope = harness.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<CustomersDbContext>().Customers.CountAsync());
    }

    [Fact]
    public async Task Bulk_imported_customers_are_found_and_read_like_registered_ones()
    {
        await using var harness = await CustomerHarness.StartAsync();
        var customers = Enumerable.Range(0, 1_500).Select(i => new NewCustomer("branch-a", $"Test Person {i}", $"+86 138 0000 {i:D4}", i % 3 == 0 ? "11010519491231002X" : null));
        await using (var scope = harness.Services.CreateAsyncScope())
        {
            Assert.Equal(1_500, await scope.ServiceProvider.GetRequiredService<CustomerBulkImport>().ImportAsync(customers, null, CancellationToken.None));
        }

        var found = Assert.Single(await harness.InScopeAsync(d => d.SearchAsync(Agent, new CustomerSearch("+86 138 0000 1234", null, null), CancellationToken.None)));
        Assert.Equal((FieldView.Masked, "138****1234"), (found.Phone.View, found.Phone.Text));
        Assert.StartsWith("T. ", found.Name.Text, StringComparison.Ordinal);
        Assert.Equal("+8613800001234", (await harness.InScopeAsync(d => d.RevealAsync(Agent, found.Id, CustomerFields.Phone, "Call back", CancellationToken.None))).Value?.Value);
        // 500 share that ID number; one search answers at most Customers:MaxSearchResults (20).
        Assert.Equal(20, (await harness.InScopeAsync(d => d.SearchAsync(Officer, new CustomerSearch(null, null, "110105 19491231 002x"), CancellationToken.None))).Count);
    }
}
