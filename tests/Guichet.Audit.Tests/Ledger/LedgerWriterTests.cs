using System.Security.Cryptography;
using Guichet.Audit.Ledger;
using Guichet.Audit.Tests.Infrastructure;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Audit.Tests.Ledger;

public sealed class LedgerWriterTests
{
    [Fact]
    public async Task RecordAsync_returns_consecutive_sequences_and_chains_each_entry_to_the_one_before()
    {
        await using var ledger = await LedgerFixture.CreateAsync();

        var first = await ledger.RecordAsync("customer.lookup");
        var second = await ledger.RecordAsync("customer.reveal");
        var third = await ledger.RecordAsync("auth.signin", resourceType: "account", resourceId: "acc-1");

        Assert.Equal([1L, 2L, 3L], [first, second, third]);
        await using var db = ledger.CreateContext();
        var entries = await db.Entries.OrderBy(e => e.Sequence).ToListAsync();
        var previous = LedgerHash.Genesis;
        foreach (var entry in entries)
        {
            Assert.Equal(previous, entry.PreviousHash);
            Assert.Equal(LedgerHash.Compute(previous, entry), entry.Hash);
            previous = entry.Hash;
        }

        Assert.Equal(ledger.Time.GetUtcNow().UtcDateTime, entries[0].OccurredAt);
        Assert.Equal("staff", entries[1].ActorKind);
        Assert.Equal("callback requested", entries[1].Purpose);
    }

    [Fact]
    public async Task An_append_waits_for_the_database_files_write_turn_rather_than_SQLites_busy_handler()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        await ledger.RecordAsync("customer.lookup");
        var queueBatch = await SqliteWriteTurn.For($"Data Source={ledger.DatabasePath}")!.EnterAsync(CancellationToken.None);

        var append = ledger.RecordAsync("customer.reveal");
        await Task.Delay(100);
        Assert.False(append.IsCompleted);

        queueBatch.Dispose();
        Assert.Equal(2, await append.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Concurrent_callers_each_get_a_distinct_committed_sequence_and_the_chain_verifies()
    {
        await using var ledger = await LedgerFixture.CreateAsync(new Dictionary<string, string?> { ["Audit:CheckpointEvery"] = "1000" });

        var sequences = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => ledger.Trail.RecordAsync(
            new AuditEvent("ticket.issue", new AuditActor(AuditActorKind.Device, $"kiosk-{i % 3}"), AuditOutcome.Success, "ticket", $"t-{i}")).AsTask()));

        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), sequences.Order());
        await using (var db = ledger.CreateContext())
        {
            Assert.Equal(300, await db.Entries.CountAsync());
        }

        // Entries written many to a batch are stored exactly as they were hashed.
        await ledger.StopAsync();
        await using var services = ledger.Reopen();
        using var output = new StringWriter();
        var exitCode = await AuditCommands.VerifyAsync(services, output, null, CancellationToken.None);
        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("intact: 300 entries", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_fails_closed_when_the_ledger_cannot_write()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        await ledger.RecordAsync("customer.lookup");
        using (var connection = ledger.OpenDatabase())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'disk refused'); END;";
            command.ExecuteNonQuery();
        }

        var failure = await Assert.ThrowsAsync<AuditUnavailableException>(async () => await ledger.RecordAsync("customer.reveal"));

        Assert.IsType<SqliteException>(failure.InnerException?.InnerException ?? failure.InnerException, exactMatch: false);
        await using var db = ledger.CreateContext();
        Assert.Equal(1, await db.Entries.CountAsync());
    }

    [Fact]
    public async Task Writer_keeps_working_after_a_failed_batch()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        using (var connection = ledger.OpenDatabase())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'disk refused'); END;";
            command.ExecuteNonQuery();
        }

        await Assert.ThrowsAsync<AuditUnavailableException>(async () => await ledger.RecordAsync("customer.reveal"));
        using (var connection = ledger.OpenDatabase())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "DROP TRIGGER refuse;";
            command.ExecuteNonQuery();
        }

        Assert.Equal(1, await ledger.RecordAsync("customer.reveal"));
    }

    [Theory]
    [InlineData("called +86 138 0013 8000 back")]
    [InlineData("mail test.person@example.com")]
    [InlineData("ID 110101199003070000")]
    public async Task RecordAsync_refuses_a_purpose_that_carries_a_personal_value(string purpose)
    {
        await using var ledger = await LedgerFixture.CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.Trail.RecordAsync(
            new AuditEvent("customer.reveal", LedgerFixture.Staff("staff-1"), AuditOutcome.Success, "customer", "cus-1", purpose)));

        await using var db = ledger.CreateContext();
        Assert.Equal(0, await db.Entries.CountAsync());
    }

    [Fact]
    public async Task A_checkpoint_is_signed_every_N_entries_and_appended_to_the_external_file()
    {
        await using var ledger = await LedgerFixture.CreateAsync();

        for (var i = 0; i < 25; i++)
        {
            await ledger.RecordAsync("customer.lookup");
        }

        await using var db = ledger.CreateContext();
        var checkpoints = await db.Checkpoints.OrderBy(c => c.Sequence).ToListAsync();
        Assert.Equal([10L, 20L], checkpoints.Select(c => c.Sequence));
        var key = await db.SigningKeys.SingleAsync();
        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.PublicKey, out _);
        foreach (var checkpoint in checkpoints)
        {
            var entry = await db.Entries.SingleAsync(e => e.Sequence == checkpoint.Sequence);
            Assert.Equal(entry.Hash, checkpoint.Hash);
            Assert.True(CheckpointSignature.Verify(publicKey, checkpoint.Sequence, checkpoint.Hash, checkpoint.CreatedAt, checkpoint.Signature));
        }

        var lines = await File.ReadAllLinesAsync(ledger.CheckpointFilePath);
        Assert.Equal(checkpoints.Select(CheckpointFile.Format), lines);
    }

    [Fact]
    public async Task A_checkpoint_is_signed_when_the_interval_has_passed_even_below_N()
    {
        await using var ledger = await LedgerFixture.CreateAsync(new Dictionary<string, string?>
        {
            ["Audit:CheckpointEvery"] = "1000",
            ["Audit:CheckpointInterval"] = "00:00:30",
        });
        await ledger.RecordAsync("customer.lookup");
        await ledger.RecordAsync("customer.lookup");
        await using (var db = ledger.CreateContext())
        {
            Assert.Empty(await db.Checkpoints.ToListAsync());
        }

        ledger.Time.Advance(TimeSpan.FromSeconds(31));
        await ledger.RecordAsync("customer.lookup");

        await using (var db = ledger.CreateContext())
        {
            Assert.Contains(await db.Checkpoints.Select(c => c.Sequence).ToListAsync(), sequence => sequence >= 2);
        }
    }

    [Fact]
    public async Task The_signing_key_is_stored_sealed_and_unseals_to_the_stored_public_key()
    {
        await using var ledger = await LedgerFixture.CreateAsync();
        for (var i = 0; i < 10; i++)
        {
            await ledger.RecordAsync("customer.lookup");
        }

        await using var db = ledger.CreateContext();
        var record = await db.SigningKeys.SingleAsync();
        Assert.ThrowsAny<CryptographicException>(() => ECDsa.Create().ImportPkcs8PrivateKey(record.SealedPrivateKey, out _));
        using var key = CheckpointSigner.Load(record, ledger.Sealer);
        Assert.Equal(record.PublicKey, key.ExportSubjectPublicKeyInfo());
        Assert.ThrowsAny<CryptographicException>(() => CheckpointSigner.Load(record, new TestSecretSealer()));
    }
}
