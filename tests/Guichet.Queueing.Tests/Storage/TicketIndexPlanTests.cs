using System.Text.RegularExpressions;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Storage;

/// <summary>
/// The ticket indexes that leave out tickets without a counter, a target counter or a finish
/// time are still the ones SQLite picks for the queries that read them: a filter the query does
/// not imply would leave the index unused and the query reading the whole table. Issuing's
/// lookup of the customer who last brought a number searches the full number's blind index,
/// the only phone index tickets keep.
/// </summary>
public sealed partial class TicketIndexPlanTests
{
    public static TheoryData<string, string> Queries => new()
    {
        { "what a counter holds", "IX_queue_tickets_CounterId_Status" },
        { "a counter's current ticket", "IX_queue_tickets_" },
        { "tickets transferred to a counter", "IX_queue_tickets_TargetCounterId" },
        { "a service's recent services", "IX_queue_tickets_ServiceId_Status_FinishedAt" },
        { "who last brought a number", "IX_queue_tickets_PhoneIndex" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Each_query_searches_its_index_rather_than_scanning_the_tickets(string query, string index)
    {
        await using var hall = await QueueHarness.StartAsync();
        var plan = await hall.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<QueueingDbContext>();
            var id = Guid.NewGuid();
            var since = QueueHarness.DefaultStart.UtcDateTime;
            IQueryable<Ticket> tickets = query switch
            {
                "what a counter holds" => db.Tickets.Where(t => t.CounterId == id
                    && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving || t.Status == TicketStatus.Suspended)),
                "a counter's current ticket" => db.Tickets.Where(t => t.CounterId == id && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving)),
                "tickets transferred to a counter" => db.Tickets.Where(t => t.TargetCounterId == id),
                "who last brought a number" => db.Tickets.Where(t => t.PhoneIndex == id.ToByteArray() && t.CustomerSubjectId != null)
                    .OrderByDescending(t => t.ArrivedAt),
                _ => db.Tickets.Where(t => t.ServiceId == id && t.Status == TicketStatus.Done && t.FinishedAt >= since && t.StartedAt != null)
                    .OrderByDescending(t => t.FinishedAt),
            };
            return await ExplainAsync(db, tickets.ToQueryString());
        });

        Assert.Contains(plan, step => step.StartsWith("SEARCH ", StringComparison.Ordinal) && step.Contains($" USING INDEX {index}", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN ", StringComparison.Ordinal));
    }

    // ToQueryString gives the SQL after one ".param set" line per parameter; each is bound to
    // NULL here, which does not change the plan.
    private static async Task<List<string>> ExplainAsync(QueueingDbContext db, string queryString)
    {
        var sql = string.Join('\n', queryString.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal)));
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct())
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }

        var details = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            details.Add(reader.GetString(3));
        }

        return details;
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}
