using Guichet.Audit.Search;
using Guichet.Audit.Tests.Infrastructure;
using Guichet.Audit.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Tests.Search;

public sealed class AuditSearchTests
{
    [Fact]
    public async Task A_customers_access_history_lists_who_saw_their_data_when_and_why_and_the_read_is_recorded()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        await ledger.RecordAsync("customer.lookup", actorId: "staff-1", resourceId: "cus-42");
        await ledger.RecordAsync("customer.lookup", actorId: "staff-2", resourceId: "cus-7");
        ledger.Time.Advance(TimeSpan.FromMinutes(5));
        await ledger.RecordAsync("customer.reveal", actorId: "staff-3", resourceId: "cus-42");
        var search = ledger.Services.GetRequiredService<IAuditSearch>();

        var history = await search.CustomerAccessHistoryAsync("cus-42", LedgerFixture.Staff("auditor-1"), 50, CancellationToken.None);

        Assert.Equal(["staff-3", "staff-1"], history.Select(h => h.ActorId));
        Assert.Equal("callback requested", history[0].Purpose);
        Assert.Equal(ledger.Time.GetUtcNow(), history[0].OccurredAt);
        var reads = await search.SearchAsync(new AuditQuery(ActorId: "auditor-1"), LedgerFixture.Staff("auditor-1"), CancellationToken.None);
        Assert.Contains(reads, r => r.Action == "ledger.customer-history" && r.ResourceId == "cus-42");
    }

    [Fact]
    public async Task Search_filters_by_action_and_time_and_pages_newest_first()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        var start = ledger.Time.GetUtcNow();
        for (var i = 0; i < 6; i++)
        {
            await ledger.RecordAsync(i % 2 == 0 ? "customer.lookup" : "ticket.call", actorId: "staff-1", resourceId: $"cus-{i}");
            ledger.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var search = ledger.Services.GetRequiredService<IAuditSearch>();
        var reader = LedgerFixture.Staff("auditor-1");

        var lookups = await search.SearchAsync(new AuditQuery(Action: "customer.lookup"), reader, CancellationToken.None);
        var window = await search.SearchAsync(new AuditQuery(ActorId: "staff-1", From: start.AddMinutes(2), To: start.AddMinutes(4)), reader, CancellationToken.None);
        var page = await search.SearchAsync(new AuditQuery(ActorId: "staff-1", BeforeSequence: 5, Take: 2), reader, CancellationToken.None);

        Assert.Equal([5L, 3L, 1L], lookups.Select(e => e.Sequence));
        Assert.Equal([4L, 3L], window.Select(e => e.Sequence));
        Assert.Equal([4L, 3L], page.Select(e => e.Sequence));
    }

    [Fact]
    public async Task The_chain_state_is_available_to_auditors()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        for (var i = 0; i < 12; i++)
        {
            await ledger.RecordAsync("ticket.call");
        }

        var verdict = await ledger.Services.GetRequiredService<IAuditSearch>().VerifyChainAsync(LedgerFixture.Staff("auditor-1"), CancellationToken.None);

        Assert.Equal(LedgerVerdictKind.Intact, verdict.Kind);
        Assert.True(verdict.EntriesChecked >= 12);
    }
}
