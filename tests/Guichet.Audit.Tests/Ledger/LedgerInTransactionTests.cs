using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Guichet.Audit.Tests.Infrastructure;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Tests.Ledger;

/// <summary>Entries another module writes in its own transaction (a batch of counter actions).</summary>
public sealed class LedgerInTransactionTests
{
    private static readonly AuditEvent Call = new("queue.ticket.call", LedgerFixture.Staff("staff-1"), AuditOutcome.Success, "ticket", "t-1", BranchId: "branch-1");
    private static readonly AuditEvent NoShow = new("queue.ticket.no-show", LedgerFixture.Staff("staff-1"), AuditOutcome.Success, "ticket", "t-1", BranchId: "branch-1");

    [Fact]
    public async Task Entries_appended_in_a_committed_transaction_follow_the_writers_own_and_the_chain_verifies()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        var inTransaction = ledger.Services.GetRequiredService<IAuditTrailInTransaction>();
        await ledger.RecordAsync("customer.lookup");

        IReadOnlyList<AuditReceipt> receipts;
        using (var connection = ledger.OpenDatabase())
        using (var transaction = connection.BeginTransaction())
        {
            receipts = await inTransaction.AppendAsync(transaction, [Call, NoShow], CancellationToken.None);
            transaction.Commit();
        }

        var after = await ledger.RecordAsync("customer.reveal");

        Assert.Equal([Call, NoShow], receipts.Select(r => r.Event));
        Assert.Equal(4, after);
        await using (var db = ledger.CreateContext())
        {
            Assert.Equal(
                ["customer.lookup", "queue.ticket.call", "queue.ticket.no-show", "customer.reveal"],
                await db.Entries.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        }

        await AssertIntactAsync(ledger, entries: 4);
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_entry_and_the_next_one_follows_the_last_committed()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        var inTransaction = ledger.Services.GetRequiredService<IAuditTrailInTransaction>();
        await ledger.RecordAsync("customer.lookup");

        using (var connection = ledger.OpenDatabase())
        using (var transaction = connection.BeginTransaction())
        {
            await inTransaction.AppendAsync(transaction, [Call, NoShow], CancellationToken.None);
            transaction.Rollback();
        }

        var next = await ledger.RecordAsync("customer.reveal");

        Assert.Equal(2, next);
        await AssertIntactAsync(ledger, entries: 2);
    }

    [Fact]
    public async Task The_rules_see_an_appended_entry_once_its_transaction_has_committed()
    {
        var observer = new RecordingObserver();
        await using var ledger = await LedgerFixture.CreateAsync(configure: s => s.AddSingleton<ILedgerObserver>(observer));
        var inTransaction = ledger.Services.GetRequiredService<IAuditTrailInTransaction>();

        IReadOnlyList<AuditReceipt> receipts;
        using (var connection = ledger.OpenDatabase())
        using (var transaction = connection.BeginTransaction())
        {
            receipts = await inTransaction.AppendAsync(transaction, [Call], CancellationToken.None);
            Assert.Empty(observer.Seen);
            transaction.Commit();
        }

        await inTransaction.CommittedAsync(receipts[0], CancellationToken.None);

        var seen = Assert.Single(observer.Seen);
        Assert.Equal((1L, "queue.ticket.call", "t-1"), (seen.Sequence, seen.Action, seen.ResourceId));
    }

    [Fact]
    public async Task Appends_that_pass_a_multiple_of_the_checkpoint_count_get_a_checkpoint_without_another_record()
    {
        await using var ledger = await LedgerFixture.CreateAsync(new Dictionary<string, string?> { ["Audit:CheckpointEvery"] = "10" });
        var inTransaction = ledger.Services.GetRequiredService<IAuditTrailInTransaction>();
        await ledger.RecordAsync("customer.lookup");

        using (var connection = ledger.OpenDatabase())
        using (var transaction = connection.BeginTransaction())
        {
            await inTransaction.AppendAsync(transaction, [.. Enumerable.Repeat(Call, 11)], CancellationToken.None);
            transaction.Commit();
        }

        // Only the writer's own wake-up can sign it: nothing else is recorded and the fake clock stands still.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        long? signed = null;
        while (signed is null)
        {
            guard.Token.ThrowIfCancellationRequested();
            await Task.Delay(20, guard.Token);
            await using var db = ledger.CreateContext();
            signed = await db.Checkpoints.Select(c => (long?)c.Sequence).MaxAsync(guard.Token);
        }

        Assert.Equal(12, signed);
    }

    [Fact]
    public async Task An_event_that_would_carry_a_personal_value_is_refused_before_anything_is_written()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        var inTransaction = ledger.Services.GetRequiredService<IAuditTrailInTransaction>();
        var bad = Call with { Purpose = "call back +86 138 0000 0001" };

        using (var connection = ledger.OpenDatabase())
        using (var transaction = connection.BeginTransaction())
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => inTransaction.AppendAsync(transaction, [Call, bad], CancellationToken.None));
            transaction.Commit();
        }

        await using var db = ledger.CreateContext();
        Assert.Equal(0, await db.Entries.CountAsync());
    }

    /// <summary>Stops the writer and runs <c>audit verify</c> on the file, as an auditor would.</summary>
    private static async Task AssertIntactAsync(LedgerFixture ledger, int entries)
    {
        await ledger.StopAsync();
        await using var services = ledger.Reopen();
        using var output = new StringWriter();
        Assert.Equal(0, await AuditCommands.VerifyAsync(services, output, null, CancellationToken.None));
        Assert.Contains($"intact: {entries} entries", output.ToString(), StringComparison.Ordinal);
    }

    private sealed class RecordingObserver : ILedgerObserver
    {
        public List<LedgerEntry> Seen { get; } = [];

        public ValueTask OnCommittedAsync(LedgerEntry entry, CancellationToken cancellationToken)
        {
            Seen.Add(entry);
            return ValueTask.CompletedTask;
        }
    }
}
