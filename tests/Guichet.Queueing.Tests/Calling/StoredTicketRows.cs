using System.Data.Common;
using Guichet.Privacy;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Calling;

/// <summary>
/// The issuer writes tickets and their events with its own prepared insert, not SaveChanges.
/// Every other part of Guichet reads and compares those rows through EF Core (the calling order
/// compares stored instants, lookups compare stored ids), so a ticket must be stored exactly as
/// SaveChanges would store it: here every column of an issued ticket is compared with a twin
/// written by SaveChanges.
/// </summary>
internal static class StoredTicketRows
{
    /// <summary>Columns that differ between a ticket and its twin by design; only their stored type is compared.</summary>
    private static readonly string[] OwnColumns = ["Id", "TicketId", "Sequence", "Number", "TrackerToken", "Phone", "CustomerName"];

    public static async Task AssertIssuedAsSaveChangesWouldStoreAsync(QueueHarness hall)
    {
        // The phone and the name are encrypted under a customer key the key ring makes.
        await PrivacyModule.MigrateAsync(hall.Services, CancellationToken.None);
        var layout = await hall.SeedHallAsync();
        await hall.InScopeAsync(s => s.GetRequiredService<QueueingDbContext>().Services
            .Where(x => x.Id == layout.ServiceA).ExecuteUpdateAsync(x => x.SetProperty(v => v.CollectsPhone, true)));
        // Every kind of column: ids, a day, instants, enums stored as text, a nullable enum, ciphertexts and blind indexes.
        var issued = await hall.InScopeAsync(s => s.GetRequiredService<TicketDesk>().IssueAsync(
            new TicketRequest(layout.BranchId, layout.ServiceA, TicketChannel.Kiosk, TicketPriority.Priority, PriorityReason.Elderly,
                StaffMemberId: "staff-test-1", Phone: "+86 138 0013 8000", CustomerName: "Test Person"),
            CancellationToken.None));
        Assert.Equal(OutcomeKind.Ok, issued.Kind);

        var ticket = await hall.TicketAsync(issued.Value!.TicketId);
        var issuedEvent = Assert.Single(await hall.HistoryAsync(ticket.Id));
        var twin = Twin(ticket, issuedEvent);
        await hall.InScopeAsync(s =>
        {
            var db = s.GetRequiredService<QueueingDbContext>();
            db.Tickets.Add(twin);
            return db.SaveChangesAsync();
        });

        var tickets = await RowsAsync(hall, "queue_tickets", "Sequence");
        var events = await RowsAsync(hall, "queue_ticket_events", "Id");
        AssertAlike(tickets[0], tickets[1]);
        AssertAlike(events[0], events[1]);
        Assert.NotNull(tickets[0]["PhoneIndex"].Value);
        Assert.NotNull(tickets[0]["PriorityReason"].Value);
    }

    /// <summary>Several tickets through one prepared insert in one transaction, as a batch of the issuer writes them.</summary>
    public static async Task AssertSeveralRowsInOneTransactionAsync(QueueHarness hall)
    {
        var layout = await hall.SeedHallAsync();
        var template = new Ticket
        {
            Id = Guid.Empty,
            BranchId = layout.BranchId,
            ServiceId = layout.ServiceA,
            IssuedServiceId = layout.ServiceA,
            ServiceDay = new DateOnly(2026, 3, 2),
            Number = "A000",
            Status = TicketStatus.Waiting,
            ArrivedAt = QueueHarness.DefaultStart.UtcDateTime,
            QueuedAt = QueueHarness.DefaultStart.UtcDateTime,
            TrackerToken = "",
        };
        var tickets = Enumerable.Range(1, 5).Select(n => WithSequence(Twin(template, new TicketEvent()), n)).ToList();

        await hall.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<QueueingDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await Guichet.Privacy.Storage.PreparedInsert.InsertAsync(db, tickets, CancellationToken.None);
            await Guichet.Privacy.Storage.PreparedInsert.InsertAsync(db, [.. tickets.Select(t => t.Events[0])], CancellationToken.None);
            await transaction.CommitAsync();
            return 0;
        });

        Assert.Equal(5, await hall.CountTicketsAsync());
        Assert.Single(await hall.HistoryAsync(tickets[4].Id));
    }

    private static Ticket WithSequence(Ticket ticket, int sequence)
    {
        ticket.Sequence = sequence;
        ticket.Number = $"A{sequence:D3}";
        return ticket;
    }

    private static Ticket Twin(Ticket ticket, TicketEvent issuedEvent)
    {
        var id = Guid.NewGuid();
        return new Ticket
        {
            Id = id,
            BranchId = ticket.BranchId,
            ServiceId = ticket.ServiceId,
            IssuedServiceId = ticket.IssuedServiceId,
            ServiceDay = ticket.ServiceDay,
            Sequence = ticket.Sequence + 1,
            Number = "A999",
            Channel = ticket.Channel,
            Priority = ticket.Priority,
            PriorityReason = ticket.PriorityReason,
            Status = ticket.Status,
            ArrivedAt = ticket.ArrivedAt,
            QueuedAt = ticket.QueuedAt,
            CalledAt = ticket.CalledAt,
            StartedAt = ticket.StartedAt,
            FinishedAt = ticket.FinishedAt,
            CounterId = ticket.CounterId,
            TargetCounterId = ticket.TargetCounterId,
            StaffMemberId = ticket.StaffMemberId,
            TrackerToken = TrackerToken.Create(new DateTimeOffset(ticket.ArrivedAt, TimeSpan.Zero)),
            CustomerSubjectId = ticket.CustomerSubjectId,
            Phone = ticket.Phone is null ? null : [.. ticket.Phone],
            CustomerName = ticket.CustomerName is null ? null : [.. ticket.CustomerName],
            PhoneIndex = ticket.PhoneIndex,
            PhoneLastFour = ticket.PhoneLastFour,
            Events =
            [
                new TicketEvent
                {
                    TicketId = id,
                    Kind = issuedEvent.Kind,
                    Status = issuedEvent.Status,
                    OccurredAt = issuedEvent.OccurredAt,
                    CounterId = issuedEvent.CounterId,
                    ServiceId = issuedEvent.ServiceId,
                    StaffMemberId = issuedEvent.StaffMemberId,
                },
            ],
        };
    }

    private static void AssertAlike(Dictionary<string, (string Type, object? Value)> issued, Dictionary<string, (string Type, object? Value)> twin)
    {
        Assert.Equal(twin.Keys.Order(StringComparer.Ordinal), issued.Keys.Order(StringComparer.Ordinal));
        foreach (var (column, stored) in issued)
        {
            Assert.True(twin[column].Type == stored.Type, $"{column} is stored as {stored.Type}, SaveChanges stores {twin[column].Type}");
            if (!OwnColumns.Contains(column))
            {
                Assert.True(Equals(twin[column].Value, stored.Value) || twin[column].Value is byte[] b && stored.Value is byte[] a && a.SequenceEqual(b),
                    $"{column} is stored differently from SaveChanges");
            }
        }
    }

    /// <summary>Every row of a table as stored: each column's storage type (SQLite's own <c>typeof</c>, or the PostgreSQL type) and raw value.</summary>
    private static Task<List<Dictionary<string, (string Type, object? Value)>>> RowsAsync(QueueHarness hall, string table, string orderBy) =>
        hall.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<QueueingDbContext>();
            await db.Database.OpenConnectionAsync();
            await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY \"{orderBy}\"";
            var rows = new List<Dictionary<string, (string, object?)>>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new Dictionary<string, (string, object?)>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    var type = db.Provider == Guichet.Privacy.Storage.DatabaseProvider.Sqlite
                        ? value switch { null => "null", long => "integer", double => "real", string => "text", byte[] => "blob", _ => value.GetType().Name }
                        : reader.GetDataTypeName(i);
                    row[reader.GetName(i)] = (type, value);
                }

                rows.Add(row);
            }

            return rows;
        });
}
