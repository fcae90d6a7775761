using Guichet.Privacy.Storage;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Queueing.Calling;

/// <summary>The calling rule as queries, shared by call-next, waiting lists and "people ahead".</summary>
internal static class QueueQueries
{
    // Compiled: every live tracker asks "people ahead" on each refresh, and issuing counts a
    // service's queue once per batch. A bounded count takes the first tickets in the waiting
    // index's own order: which ones does not change the count, and without an order EF Core
    // warns in the operator's log that the rows taken are unpredictable. The order is the
    // index's, so the database sorts nothing.
    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, TicketPriority, int, CancellationToken, Task<int>>> WaitingQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid serviceId, TicketPriority priority, int upTo, CancellationToken _) => db.Tickets
            .Where(o => o.ServiceId == serviceId && o.Status == TicketStatus.Waiting && o.Priority == priority)
            .OrderBy(o => o.QueuedAt).ThenBy(o => o.Sequence)
            .Take(upTo)
            .Count()));

    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, TicketPriority, DateTime, int, int, CancellationToken, Task<int>>> SamePriorityAheadQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid serviceId, TicketPriority priority, DateTime queuedAt, int sequence, int upTo, CancellationToken _) => db.Tickets
            .Where(o => o.ServiceId == serviceId && o.Status == TicketStatus.Waiting && o.Priority == priority
                && o.QueuedAt <= queuedAt && (o.QueuedAt < queuedAt || o.Sequence < sequence))
            .OrderBy(o => o.QueuedAt).ThenBy(o => o.Sequence)
            .Take(upTo)
            .Count()));

    // Compiled: every counter action reads it twice (call-next takes the first; the answer lists
    // the first fifty), inside and after the serial stage of the write.
    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, Guid, List<Guid>, int, IAsyncEnumerable<CallableTicket>>> CallableQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid branchId, Guid counterId, List<Guid> serviceIds, int limit) => db.Tickets.AsNoTracking()
            .Where(t => t.BranchId == branchId && t.Status == TicketStatus.Waiting
                && (t.TargetCounterId == counterId || (t.TargetCounterId == null && serviceIds.Contains(t.ServiceId))))
            .OrderByDescending(t => t.Priority)
            .ThenBy(t => t.QueuedAt)
            .ThenBy(t => t.Sequence)
            .ThenBy(t => t.Id)
            .Take(limit)
            .Select(t => new CallableTicket(t.Id, t.Number, t.ServiceId, t.Priority, t.ArrivedAt))));

    /// <summary>
    /// The first <paramref name="limit"/> tickets a counter may call, in calling order: priority
    /// tickets first, then the longest waiting (by queue time, which a transfer keeps) across
    /// every service the counter serves, plus tickets transferred to this counter itself.
    /// </summary>
    /// <remarks>
    /// Priority first by sorting the priority column descending: stored as its name,
    /// "Priority" sorts after "Normal" (as the enum's values do in memory), which lets the
    /// database walk the calling-order index instead of sorting every waiting ticket.
    /// </remarks>
    public static ValueTask<List<CallableTicket>> CallableByAsync(
        QueueingDbContext db, Guid branchId, Guid counterId, List<Guid> serviceIds, int limit, CancellationToken cancellationToken) =>
        CallableQuery.For(db)(db, branchId, counterId, serviceIds, limit).ToListAsync(cancellationToken);

    /// <summary>Waiting tickets of the same service that the calling rule takes before this one, counted up to <paramref name="upTo"/>.</summary>
    /// <remarks>
    /// Two counts, each a range of the (service, status, priority, queue time, sequence) index
    /// that stops at the bound: a tracker reads index entries only, never the tickets' rows, and
    /// at most the bound of them.
    /// </remarks>
    public static async Task<WaitingCount> PeopleAheadAsync(QueueingDbContext db, Ticket ticket, int upTo, CancellationToken cancellationToken)
    {
        if (ticket.Status != TicketStatus.Waiting)
        {
            return default;
        }

        var priorityAhead = ticket.Priority == TicketPriority.Priority ? 0 : await WaitingAsync(db, ticket.ServiceId, TicketPriority.Priority, upTo, cancellationToken);
        var samePriorityAhead = await SamePriorityAheadQuery.For(db)(db, ticket.ServiceId, ticket.Priority, ticket.QueuedAt, ticket.Sequence, upTo, cancellationToken);
        return WaitingCount.Of(priorityAhead + samePriorityAhead, upTo);
    }

    /// <summary>A service's waiting tickets of one priority, counted up to <paramref name="upTo"/> (a range of the same index).</summary>
    public static Task<int> WaitingAsync(QueueingDbContext db, Guid serviceId, TicketPriority priority, int upTo, CancellationToken cancellationToken) =>
        WaitingQuery.For(db)(db, serviceId, priority, upTo, cancellationToken);

    /// <param name="tickets">The tickets table.</param>
    /// <param name="serviceId">The service.</param>
    /// <param name="cancellationToken">Stops the count.</param>
    /// <param name="upTo">Stop counting there (the answer is then at least this), so a long queue is not walked in full.</param>
    public static Task<int> WaitingCountAsync(this IQueryable<Ticket> tickets, Guid serviceId, CancellationToken cancellationToken, int upTo = int.MaxValue)
    {
        var waiting = tickets.Where(t => t.ServiceId == serviceId && t.Status == TicketStatus.Waiting);
        return (upTo == int.MaxValue ? waiting : waiting.OrderBy(t => t.Priority).ThenBy(t => t.QueuedAt).ThenBy(t => t.Sequence).Take(upTo)).CountAsync(cancellationToken);
    }

    public static bool IsCurrent(TicketStatus status) => status is TicketStatus.Called or TicketStatus.Serving;
}

/// <summary>A ticket a counter may call: what its waiting list shows.</summary>
internal sealed record CallableTicket(Guid Id, string Number, Guid ServiceId, TicketPriority Priority, DateTime ArrivedAt);
