using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Guichet.Audit.Tests.Infrastructure;
using Guichet.Audit.Verification;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Tests.Verification;

/// <summary>
/// Each tamper case against a real SQLite ledger file, checked by the same handler
/// <c>guichet audit verify</c> runs, over a fresh composition as a separate CLI run sees it.
/// 50 entries, checkpoints every 10.
/// </summary>
public class AuditVerifyTamperTests : IAsyncLifetime
{
    private LedgerFixture ledger = null!;

    /// <summary>Ranges checked at once and the shortest range; null: as shipped (one range for a ledger this short).</summary>
    protected virtual (int Ranges, long MinimumEntries)? RangeSettings => null;

    public async Task InitializeAsync()
    {
        ledger = await LedgerFixture.CreateAsync();
        for (var i = 1; i <= 50; i++)
        {
            await ledger.RecordAsync(i % 2 == 0 ? "customer.lookup" : "ticket.call", actorId: $"staff-{i % 4}", resourceId: $"cus-{i}");
        }

        await ledger.StopAsync();
    }

    public async Task DisposeAsync() => await ledger.DisposeAsync();

    [Fact]
    public async Task An_untouched_ledger_verifies_intact_with_exit_code_0()
    {
        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("intact: 50 entries, 10 checkpoint signatures", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_modified_entry_is_reported_at_its_sequence()
    {
        Execute("UPDATE audit_entries SET resource_id = 'cus-999' WHERE sequence = 17");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 17:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_entry_is_reported_at_its_sequence()
    {
        Execute("DELETE FROM audit_entries WHERE sequence = 23");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 23:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inserted_entry_is_reported_where_the_chain_breaks()
    {
        // Make room at 25 and insert a forged entry that links correctly to 24.
        Execute("UPDATE audit_entries SET sequence = sequence + 1000 WHERE sequence >= 25; UPDATE audit_entries SET sequence = sequence - 999 WHERE sequence >= 1025;");
        var forged = Forge(25, Read(24).Hash);
        Insert(forged);

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 26:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inserted_entry_with_the_rest_of_the_chain_rehashed_is_caught_by_the_signed_checkpoint()
    {
        Execute("UPDATE audit_entries SET sequence = sequence + 1000 WHERE sequence >= 25; UPDATE audit_entries SET sequence = sequence - 999 WHERE sequence >= 1025;");
        Insert(Forge(25, Read(24).Hash));
        RehashFrom(26);

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 21:", output, StringComparison.Ordinal);
        Assert.Contains("checkpoint signed at 30", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_reordered_entries_are_reported_at_the_first_of_them()
    {
        Execute("UPDATE audit_entries SET sequence = -1 WHERE sequence = 31; UPDATE audit_entries SET sequence = 31 WHERE sequence = 32; UPDATE audit_entries SET sequence = 32 WHERE sequence = -1;");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 31:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncating_the_tail_back_before_the_last_checkpoint_is_reported()
    {
        // A database-level attacker removes the tail and the database's own checkpoints;
        // the external checkpoint file still holds the signed checkpoints at 40 and 50.
        Execute("DELETE FROM audit_entries WHERE sequence > 35; DELETE FROM audit_checkpoints WHERE sequence > 35;");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 36:", output, StringComparison.Ordinal);
        Assert.Contains("removed from the tail", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rewritten_database_with_a_new_signing_key_is_caught_by_the_external_file()
    {
        // The attacker cannot seal a key under the installation's root key, so a replaced key
        // record fails to unseal, and the file's checkpoints name a key the database lost.
        Execute("DELETE FROM audit_signing_keys; DELETE FROM audit_checkpoints;");
        Execute("UPDATE audit_entries SET resource_id = 'cus-999' WHERE sequence = 5");
        RehashFrom(5);

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 10:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_checkpoint_file_gives_a_clear_cannot_verify_verdict()
    {
        File.Delete(ledger.CheckpointFilePath);

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("external checkpoint file", output, StringComparison.Ordinal);
        Assert.Contains("missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_root_key_gives_a_clear_cannot_verify_verdict()
    {
        var (exitCode, output) = await VerifyAsync(new TestSecretSealer());

        Assert.Equal(2, exitCode);
        Assert.Contains("cannot be unsealed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_line_in_the_checkpoint_file_is_reported()
    {
        var lines = await File.ReadAllLinesAsync(ledger.CheckpointFilePath);
        var parts = lines[2].Split(' ');
        parts[3] = new string('a', 64);
        lines[2] = string.Join(' ', parts);
        await File.WriteAllLinesAsync(ledger.CheckpointFilePath, lines);

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 30:", output, StringComparison.Ordinal);
        Assert.Contains("invalid signature", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_file_of_garbage_gives_a_verdict_not_a_crash()
    {
        SqliteConnection.ClearAllPools();
        await File.WriteAllBytesAsync(ledger.DatabasePath, Enumerable.Repeat((byte)0x5A, 64 * 1024).ToArray());
        File.Delete(ledger.DatabasePath + "-wal");
        File.Delete(ledger.DatabasePath + "-shm");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("damaged", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_field_gives_a_verdict_not_a_crash()
    {
        Execute("UPDATE audit_entries SET hash = 'not a hash', occurred_at = 'yesterday' WHERE sequence = 12");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 12:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_gives_a_clear_cannot_verify_verdict()
    {
        File.Delete(ledger.DatabasePath);
        File.Delete(ledger.DatabasePath + "-wal");
        File.Delete(ledger.DatabasePath + "-shm");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("no database", output, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(ledger.DatabasePath));
    }

    protected async Task<(int ExitCode, string Output)> VerifyAsync(TestSecretSealer? sealer = null)
    {
        await using var services = ledger.Reopen(sealer);
        if (RangeSettings is { } ranges)
        {
            var verifier = services.GetRequiredService<LedgerVerifier>();
            verifier.RangeCount = ranges.Ranges;
            verifier.MinimumEntriesPerRange = ranges.MinimumEntries;
        }

        using var output = new StringWriter();
        var exitCode = await AuditCommands.VerifyAsync(services, output, null, CancellationToken.None);
        return (exitCode, output.ToString());
    }

    protected void Execute(string sql)
    {
        using var connection = ledger.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private LedgerEntry Read(long sequence)
    {
        using var db = ledger.CreateContext();
        return db.Entries.Single(e => e.Sequence == sequence);
    }

    private static LedgerEntry Forge(long sequence, byte[] previous)
    {
        var entry = new LedgerEntry
        {
            Sequence = sequence,
            OccurredAt = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc),
            ActorKind = "staff",
            ActorId = "staff-innocent",
            Action = "customer.lookup",
            ResourceType = "customer",
            ResourceId = "cus-framed",
            Outcome = "success",
            PreviousHash = previous,
        };
        entry.Hash = LedgerHash.Compute(previous, entry);
        return entry;
    }

    private void Insert(LedgerEntry entry)
    {
        using var db = ledger.CreateContext();
        db.Entries.Add(entry);
        db.SaveChanges();
    }

    /// <summary>What an attacker who knows the format does: recompute every hash from a point on.</summary>
    private void RehashFrom(long sequence)
    {
        using var db = ledger.CreateContext();
        var previous = db.Entries.Single(e => e.Sequence == sequence - 1).Hash;
        foreach (var entry in db.Entries.Where(e => e.Sequence >= sequence).OrderBy(e => e.Sequence).ToList())
        {
            entry.PreviousHash = previous;
            entry.Hash = LedgerHash.Compute(previous, entry);
            previous = entry.Hash;
        }

        db.SaveChanges();
    }
}
