namespace Guichet.Audit.Tests.Verification;

/// <summary>
/// Every tamper case again with the chain cut into three ranges checked at once (1–16, 17–32,
/// 33–50), as a long ledger is checked, plus damage exactly where one range ends and the next
/// begins. The verdicts must be the ones of the walk from the first entry.
/// </summary>
public sealed class AuditVerifyTamperInRangesTests : AuditVerifyTamperTests
{
    protected override (int Ranges, long MinimumEntries)? RangeSettings => (3, 7);

    [Fact]
    public async Task The_last_entry_of_a_range_deleted_is_reported_as_missing()
    {
        Execute("DELETE FROM audit_entries WHERE sequence = 16");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 16: Entry 16 is missing: the ledger jumps from 15 to 17", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_entry_of_a_range_deleted_is_reported_as_missing()
    {
        Execute("DELETE FROM audit_entries WHERE sequence = 17");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 17: Entry 17 is missing: the ledger jumps from 16 to 18", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_whole_range_deleted_is_reported_where_it_began()
    {
        Execute("DELETE FROM audit_entries WHERE sequence BETWEEN 16 AND 32");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 16: Entry 16 is missing: the ledger jumps from 15 to 33", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_entry_of_a_range_modified_is_reported_at_its_sequence()
    {
        Execute("UPDATE audit_entries SET actor_id = 'staff-9' WHERE sequence = 33");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 33: Entry 33's content does not match its hash", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_two_modified_entries_in_different_ranges_the_earlier_is_reported()
    {
        Execute("UPDATE audit_entries SET actor_id = 'staff-9' WHERE sequence = 40; UPDATE audit_entries SET resource_id = 'cus-9' WHERE sequence = 20");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 20:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_hash_changed_at_the_end_of_a_range_breaks_the_chain_there()
    {
        // The next range starts from this stored hash; the entry it belongs to must still be caught.
        Execute("UPDATE audit_entries SET hash = zeroblob(32) WHERE sequence = 32");

        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 32: Entry 32's content does not match its hash", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_intact_ledger_counts_every_entry_once()
    {
        var (exitCode, output) = await VerifyAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("intact: 50 entries", output, StringComparison.Ordinal);
    }
}
