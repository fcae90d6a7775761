using Guichet.Audit.Tests.Infrastructure;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Guichet.Audit.Tests.Ledger;

/// <summary>The ledger on a shared PostgreSQL store, as several instances behind a load balancer use it.</summary>
public sealed class PostgresLedgerTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Serving_refuses_to_start_on_an_unmigrated_PostgreSQL_store()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var ledger = await LedgerFixture.CreateAsync(Settings(connectionString), migrate: false);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => AuditModule.PrepareStorageAsync(ledger.Services, CancellationToken.None));

        Assert.Contains("guichet db migrate", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_instances_appending_concurrently_keep_one_unbroken_chain_that_verifies()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var ledger = await LedgerFixture.CreateAsync(Settings(connectionString));
        await using var second = ledger.Reopen(settings: Settings(connectionString));
        var secondTrail = second.GetRequiredService<IAuditTrail>();

        var appends = Enumerable.Range(0, 120).Select(i => (i % 2 == 0 ? ledger.Trail : secondTrail)
            .RecordAsync(new AuditEvent("ticket.issue", new AuditActor(AuditActorKind.Device, $"kiosk-{i % 2}"), AuditOutcome.Success, "ticket", $"t-{i}")).AsTask());
        var sequences = await Task.WhenAll(appends);

        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), sequences.Order());
        var (exitCode, output) = await VerifyAsync(ledger, connectionString);
        Assert.True(exitCode == 0, output);
        Assert.Contains("intact: 120 entries", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_appended_in_other_transactions_while_the_writer_appends_keep_one_chain_that_verifies()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var ledger = await LedgerFixture.CreateAsync(Settings(connectionString));
        var inTransaction = ledger.Services.GetRequiredService<IAuditTrailInTransaction>();

        async Task AppendInOwnTransactionAsync(int i)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await inTransaction.AppendAsync(transaction, [new AuditEvent("queue.ticket.call", LedgerFixture.Staff($"staff-{i}"), AuditOutcome.Success, "ticket", $"t-{i}")], CancellationToken.None);
            await transaction.CommitAsync();
        }

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => i % 2 == 0
            ? AppendInOwnTransactionAsync(i)
            : ledger.RecordAsync("customer.lookup", resourceId: $"cus-{i}")));

        var (exitCode, output) = await VerifyAsync(ledger, connectionString);
        Assert.True(exitCode == 0, output);
        Assert.Contains("intact: 60 entries", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_modified_entry_in_PostgreSQL_is_reported_at_its_sequence()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var ledger = await LedgerFixture.CreateAsync(Settings(connectionString));
        for (var i = 0; i < 25; i++)
        {
            await ledger.RecordAsync("customer.lookup", resourceId: $"cus-{i}");
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_entries SET outcome = 'denied' WHERE sequence = 14";
            await command.ExecuteNonQueryAsync();
        }

        var (exitCode, output) = await VerifyAsync(ledger, connectionString);

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN at sequence 14:", output, StringComparison.Ordinal);
        await using var db = ledger.CreateContext();
        Assert.Equal(2, await db.Checkpoints.CountAsync());
    }

    private static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Guichet"] = connectionString,
    };

    private static async Task<(int ExitCode, string Output)> VerifyAsync(LedgerFixture ledger, string connectionString)
    {
        await using var services = ledger.Reopen(settings: Settings(connectionString));
        using var output = new StringWriter();
        var exitCode = await AuditCommands.VerifyAsync(services, output, null, CancellationToken.None);
        return (exitCode, output.ToString());
    }
}
