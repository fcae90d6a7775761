using System.Buffers;
using System.Globalization;
using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Guichet.Audit.Tests.Infrastructure;
using Guichet.Audit.Verification;

namespace Guichet.Audit.Tests.Verification;

/// <summary>
/// The verifier encodes SQLite rows from their stored bytes. Its encoding must be byte for
/// byte the documented one (the known-answer vectors) and the one an entry read through
/// SqliteDataReader gives, for rows the ledger writes and for rows it never writes.
/// </summary>
public sealed class InPlaceEncodingTests : IAsyncLifetime
{
    private LedgerFixture ledger = null!;

    public async Task InitializeAsync() => ledger = await LedgerFixture.CreateAsync();

    public async Task DisposeAsync() => await ledger.DisposeAsync();

    [Theory]
    [InlineData("2026-03-02 09:00:00")]
    [InlineData("2026-03-02 09:00:00.5")]
    [InlineData("2026-03-02 09:00:00.000001")]
    [InlineData("2026-03-02 09:00:00.0000010")]
    [InlineData("2026-03-02 09:00:00.1234567")]
    [InlineData("2024-02-29 23:59:59.999999")]
    [InlineData("1969-12-31 23:59:59.9999999")]
    [InlineData("0001-01-01 00:00:00")]
    [InlineData("9999-12-31 23:59:59.9999999")]
    public void A_stored_time_parses_to_the_microseconds_of_the_general_reader(string text)
    {
        var reference = LedgerHash.UnixMicroseconds(DateTime.Parse(text, CultureInfo.InvariantCulture));

        Assert.True(SqliteLedgerRows.TryParseStoredTime(System.Text.Encoding.ASCII.GetBytes(text), out var microseconds));
        Assert.Equal(reference, microseconds);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("2026-02-30 09:00:00")]
    [InlineData("2026-13-02 09:00:00")]
    [InlineData("2026-03-02 24:00:00")]
    [InlineData("2026-03-02 09:60:00")]
    [InlineData("2026-03-02 09:00:00.")]
    [InlineData("2026-03-02 09:00:00.12345678")]
    [InlineData("2026-03-02T09:00:00")]
    [InlineData("2026-03-02 09:00:00Z")]
    [InlineData("2026-03-02 09:00:00+01:00")]
    [InlineData("0000-01-01 00:00:00")]
    [InlineData("2026-03-02 09:00:0x")]
    public void A_time_in_any_other_form_is_left_to_the_general_reader(string text) =>
        Assert.False(SqliteLedgerRows.TryParseStoredTime(System.Text.Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public async Task The_known_answer_vectors_encode_and_hash_the_same_when_read_in_place()
    {
        var vectors = KnownAnswerVectors.Load();
        var expected = vectors.Select(v => (v.Encoding, v.Hash)).ToList();
        await using (var db = ledger.CreateContext())
        {
            foreach (var vector in vectors)
            {
                vector.Entry.PreviousHash = vector.PreviousHash;
                vector.Entry.Hash = Convert.FromHexString(vector.Hash);
                db.Entries.Add(vector.Entry);
            }

            await db.SaveChangesAsync();
        }

        var rows = await ReadInPlaceAsync();

        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.True(rows[i].InPlace, "The row the ledger wrote was read in place.");
            Assert.Equal(expected[i].Encoding, Convert.ToHexStringLower(rows[i].Encoding!));
            Assert.Equal(expected[i].Hash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. rows[i].PreviousHash, .. rows[i].Encoding!])));
        }
    }

    [Fact]
    public async Task Every_row_shape_encodes_as_the_general_reader_reads_it()
    {
        var time = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        await using (var db = ledger.CreateContext())
        {
            for (var i = 1; i <= 16; i++)
            {
                db.Entries.Add(new LedgerEntry
                {
                    Sequence = i,
                    OccurredAt = time.AddTicks(i * 1_234_567L),
                    ActorKind = "staff",
                    ActorId = $"staff-{i}",
                    Action = "customer.reveal",
                    ResourceType = i % 3 == 0 ? null : "customer",
                    ResourceId = i % 4 == 0 ? "" : $"cus-{i}",
                    Purpose = i % 2 == 0 ? null : "rappel demandé – 電話 ✓",
                    Outcome = "success",
                    ClientAddress = i % 5 == 0 ? null : "2001:db8::1",
                    CorrelationId = null,
                    BranchId = "branch-01",
                    PreviousHash = new byte[32],
                    Hash = new byte[32],
                });
            }

            await db.SaveChangesAsync();
        }

        // Shapes the ledger never writes: each must mean what SqliteDataReader makes of it.
        Execute("UPDATE audit_entries SET occurred_at = '2026-03-02T09:00:00.000001Z' WHERE sequence = 2");
        Execute("UPDATE audit_entries SET occurred_at = '2026-03-02 09:00:00.000001+02:00' WHERE sequence = 3");
        Execute("UPDATE audit_entries SET actor_id = 42 WHERE sequence = 4");
        Execute("UPDATE audit_entries SET resource_id = 1.5 WHERE sequence = 5");
        Execute("UPDATE audit_entries SET branch_id = X'6272616E63682D3031' WHERE sequence = 6");
        Execute("UPDATE audit_entries SET resource_id = X'FF6375732D36' WHERE sequence = 7");
        Execute("UPDATE audit_entries SET hash = 'not a hash' WHERE sequence = 8");
        Execute("UPDATE audit_entries SET previous_hash = X'' WHERE sequence = 9");
        Execute("UPDATE audit_entries SET occurred_at = 'yesterday' WHERE sequence = 10");
        Execute("UPDATE audit_entries SET occurred_at = 0 WHERE sequence = 11");
        Execute("UPDATE audit_entries SET purpose = '' WHERE sequence = 12");

        var inPlace = await ReadInPlaceAsync();
        var reference = await ReadThroughProviderAsync();

        Assert.Equal(16, inPlace.Count);
        Assert.Equal(reference.Count, inPlace.Count);
        for (var i = 0; i < inPlace.Count; i++)
        {
            Assert.Equal(reference[i].Sequence, inPlace[i].Sequence);
            Assert.Equal(reference[i].Encoding, inPlace[i].Encoding);
            Assert.Equal(reference[i].PreviousHash, inPlace[i].PreviousHash);
            Assert.Equal(reference[i].Hash, inPlace[i].Hash);
        }

        Assert.True(inPlace.Where(row => row.Sequence is 1 or 12 or 13 or 14 or 15 or 16).All(row => row.InPlace), "Rows as the ledger writes them are read in place.");
        Assert.Null(inPlace.Single(row => row.Sequence == 10).Encoding);
    }

    private void Execute(string sql)
    {
        using var connection = ledger.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<List<Row>> ReadInPlaceAsync()
    {
        using var connection = ledger.OpenDatabase();
        Assert.True(SqliteLedgerRows.IsAvailable);
        await using var rows = SqliteLedgerRows.Open(connection);
        return await ReadAllAsync(rows, () => rows.ReadsInPlace);
    }

    private async Task<List<Row>> ReadThroughProviderAsync()
    {
        using var connection = ledger.OpenDatabase();
        await using var rows = await ProviderLedgerRows.OpenAsync(connection, CancellationToken.None);
        return await ReadAllAsync(rows, () => false);
    }

    private static async Task<List<Row>> ReadAllAsync(LedgerRows rows, Func<bool> inPlace)
    {
        var result = new List<Row>();
        while (await rows.ReadAsync(CancellationToken.None))
        {
            if (!rows.IsReadable)
            {
                result.Add(new Row(result.Count == 0 ? 0 : result[^1].Sequence + 1, null, [], [], false));
                continue;
            }

            var output = new ArrayBufferWriter<byte>();
            rows.Encode(output);
            result.Add(new Row(rows.Sequence, output.WrittenSpan.ToArray(), rows.PreviousHash.ToArray(), rows.Hash.ToArray(), inPlace()));
        }

        return result;
    }

    private sealed record Row(long Sequence, byte[]? Encoding, byte[] PreviousHash, byte[] Hash, bool InPlace);
}
