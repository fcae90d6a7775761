using Guichet.Privacy.Auditing;
using Guichet.Privacy.Storage;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Live;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guichet.Queueing.Calling;

/// <summary>
/// What staff do at a window. Every action runs in one write transaction, checks the counter
/// is in the caller's branch scope (404 otherwise) and that it holds the ticket it acts on
/// (409 otherwise), and changes nothing when it refuses. An action answers with what the counter
/// holds (<see cref="CounterActionView"/>); its whole state, waiting list included, is
/// <see cref="GetStateAsync"/>.
/// </summary>
internal sealed partial class CounterDesk(
    QueueingDbContext db,
    CounterActionWriter writer,
    IQueueEvents events,
    IAuditTrailInTransaction ledger,
    TicketCustomerNames names,
    TimeProvider time,
    ILogger<CounterDesk> logger)
{
    /// <summary>How much of the waiting list a counter sees, in calling order.</summary>
    public const int WaitingListLimit = 50;

    /// <summary>How far past its warning level a service's waiting tickets are counted; beyond, the console says "or more".</summary>
    public const int WarningCountBeyondLevel = 1000;
    private const string NoCounter = "There is no such counter.";
    private const string LedgerDown = "The audit ledger could not record this action, so nothing was done. Try again shortly.";
    private const string NotHeld = "This counter does not hold a ticket in a state that allows this action.";

    // What call-next writes on the ticket it takes (CallNextAsync), each marked written on SQLite.
    private static readonly string[] CallColumns =
    [
        nameof(Ticket.Status), nameof(Ticket.CounterId), nameof(Ticket.TargetCounterId), nameof(Ticket.CalledAt), nameof(Ticket.StartedAt), nameof(Ticket.StaffMemberId),
    ];

    // Compiled: every counter action answers with what the counter holds, and every open console
    // refreshes the counter's state. They read only the columns the answer uses: a whole service
    // would convert its opening hours, and a whole ticket would materialise some thirty columns.
    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, IAsyncEnumerable<ServiceLabel>>> BranchServicesQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid branchId) => db.Services.AsNoTracking()
            .Where(s => s.BranchId == branchId)
            .Select(s => new ServiceLabel(s.Id, s.Name, s.WaitingWarningLevel))));

    // With its service's name, so an action's answer is one read.
    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, IAsyncEnumerable<HeldTicket>>> HeldTicketsQuery = new(() =>
        EF.CompileAsyncQuery<QueueingDbContext, Guid, HeldTicket>((db, counterId) => db.Tickets.AsNoTracking()
            .Where(t => t.CounterId == counterId && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving || t.Status == TicketStatus.Suspended))
            .OrderBy(t => t.CalledAt)
            .Join(db.Services, t => t.ServiceId, s => s.Id, (t, s) =>
                new HeldTicket(t.Id, t.Number, s.Name, t.Status, t.Priority, t.CalledAt, t.StartedAt, t.CustomerName, t.Phone))));

    public async Task<IReadOnlyList<CounterSummaryView>?> ListAsync(StaffActor actor, Guid branchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var scope = actor.Scope;
        var branchVisible = await db.Branches.AsNoTracking()
            .AnyAsync(b => b.Id == branchId && (scope.AllBranches || scope.BranchIds.Contains(b.Id)), cancellationToken);
        if (!branchVisible)
        {
            return null;
        }

        var counters = await db.Counters.AsNoTracking().Include(c => c.Services)
            .Where(c => c.BranchId == branchId).OrderBy(c => c.WindowNumber).ToListAsync(cancellationToken);
        var current = await CurrentTicketsAsync(branchId, cancellationToken);
        return [.. counters.Select(c => new CounterSummaryView(
            c.Id, c.Name, c.WindowNumber, [.. c.Services.Select(s => s.ServiceId)], c.IsPaused, current.GetValueOrDefault(c.Id)))];
    }

    public async Task<CounterStateView?> GetStateAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var counter = await InScope(actor.Scope).AsNoTracking().Include(c => c.Services)
            .FirstOrDefaultAsync(c => c.Id == counterId, cancellationToken);
        return counter is null ? null : await BuildStateAsync(counter, cancellationToken);
    }

    public Task<Guid> BranchOfAsync(Guid counterId, CancellationToken cancellationToken) =>
        db.Counters.AsNoTracking().Where(c => c.Id == counterId).Select(c => c.BranchId).FirstAsync(cancellationToken);

    public Task<Outcome<CounterActionView>> CallNextAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.call", async action =>
        {
            if (action.Counter.IsPaused)
            {
                return ActionResult.Refuse("This counter is paused; resume it before calling the next ticket.");
            }

            if (action.Current is { } held)
            {
                return ActionResult.Refuse($"This counter already holds {held.Number}; complete, transfer or suspend it first.");
            }

            var serviceIds = action.Counter.Services.Select(s => s.ServiceId).ToList();
            var ticket = await NextCandidateAsync(action.Db, action.Counter, serviceIds, cancellationToken);
            if (ticket is null)
            {
                return ActionResult.Refuse("Nobody is waiting for this counter's services.");
            }

            // No other writer can take it before this transaction commits: on SQLite this is the
            // only writer, on PostgreSQL the row is locked. The batch's SaveChanges writes it.
            ticket.Status = TicketStatus.Called;
            ticket.CounterId = action.Counter.Id;
            ticket.TargetCounterId = null;
            ticket.CalledAt = action.Now;
            ticket.StartedAt = null;
            ticket.StaffMemberId = action.Actor.ActorId;
            action.Record(ticket.Id, TicketEventKind.Called, TicketStatus.Called, ticket.ServiceId);
            return action.Done(ticket.Id, Announce(ticket.Number, action, isRecall: false));
        }, cancellationToken);

    public Task<Outcome<CounterActionView>> RecallAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.recall", action =>
        {
            if (action.Current is not { Status: TicketStatus.Called } ticket)
            {
                return Task.FromResult(ActionResult.Refuse("Only a called ticket that has not started can be recalled. " + NotHeld));
            }

            action.Record(ticket.Id, TicketEventKind.Recalled, TicketStatus.Called, ticket.ServiceId);
            return Task.FromResult(action.Done(ticket.Id, Announce(ticket.Number, action, isRecall: true)));
        }, cancellationToken);

    public Task<Outcome<CounterActionView>> StartAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.start", action =>
        {
            if (action.Current is not { Status: TicketStatus.Called } ticket)
            {
                return Task.FromResult(ActionResult.Refuse("Only a called ticket can start being served. " + NotHeld));
            }

            ticket.Status = TicketStatus.Serving;
            ticket.StartedAt = action.Now;
            action.Record(ticket.Id, TicketEventKind.Started, TicketStatus.Serving, ticket.ServiceId);
            return Task.FromResult(action.Done(ticket.Id));
        }, cancellationToken);

    public Task<Outcome<CounterActionView>> CompleteAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.complete", action =>
        {
            if (action.Current is not { Status: TicketStatus.Serving } ticket)
            {
                return Task.FromResult(ActionResult.Refuse("Only a ticket being served can be completed. " + NotHeld));
            }

            ticket.Status = TicketStatus.Done;
            ticket.FinishedAt = action.Now;
            action.Record(ticket.Id, TicketEventKind.Completed, TicketStatus.Done, ticket.ServiceId);
            return Task.FromResult(action.Done(ticket.Id));
        }, cancellationToken);

    public Task<Outcome<CounterActionView>> NoShowAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.no-show", action =>
        {
            if (action.Current is not { Status: TicketStatus.Called } ticket)
            {
                return Task.FromResult(ActionResult.Refuse("Only a called ticket that has not started can be marked no-show. " + NotHeld));
            }

            ticket.Status = TicketStatus.NoShow;
            ticket.FinishedAt = action.Now;
            action.Record(ticket.Id, TicketEventKind.NoShow, TicketStatus.NoShow, ticket.ServiceId);
            return Task.FromResult(action.Done(ticket.Id));
        }, cancellationToken);

    /// <summary>Sends the current ticket to another service's queue or another counter, keeping its place by original arrival.</summary>
    public Task<Outcome<CounterActionView>> TransferAsync(StaffActor actor, Guid counterId, Guid? toServiceId, Guid? toCounterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.transfer", async action =>
        {
            if (action.Current is not { } ticket)
            {
                return ActionResult.Refuse("This counter holds no ticket to transfer.");
            }

            if (toServiceId is { } serviceId
                && !await action.Db.Services.AnyAsync(s => s.Id == serviceId && s.BranchId == action.Counter.BranchId, cancellationToken))
            {
                return ActionResult.Missing("There is no such service at this branch.");
            }

            if (toCounterId is { } targetId)
            {
                if (targetId == action.Counter.Id)
                {
                    return ActionResult.Refuse("A ticket cannot be transferred to the counter that holds it.");
                }

                if (!await action.Db.Counters.AnyAsync(c => c.Id == targetId && c.BranchId == action.Counter.BranchId, cancellationToken))
                {
                    return ActionResult.Missing("There is no such counter at this branch.");
                }
            }

            ticket.ServiceId = toServiceId ?? ticket.ServiceId;
            ticket.TargetCounterId = toCounterId;
            ReturnToWaiting(ticket);
            action.Record(ticket.Id, TicketEventKind.Transferred, TicketStatus.Waiting, ticket.ServiceId);
            return action.Done(ticket.Id);
        }, cancellationToken);

    /// <summary>Puts the current ticket back at the end of its queue (the customer was not ready).</summary>
    public Task<Outcome<CounterActionView>> ReturnToQueueAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.return", action =>
        {
            if (action.Current is not { } ticket)
            {
                return Task.FromResult(ActionResult.Refuse("This counter holds no ticket to return to the queue."));
            }

            ReturnToWaiting(ticket);
            ticket.QueuedAt = action.Now;
            action.Record(ticket.Id, TicketEventKind.ReturnedToQueue, TicketStatus.Waiting, ticket.ServiceId);
            return Task.FromResult(action.Done(ticket.Id));
        }, cancellationToken);

    public Task<Outcome<CounterActionView>> SuspendAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.suspend", action =>
        {
            if (action.Current is not { } ticket)
            {
                return Task.FromResult(ActionResult.Refuse("This counter holds no ticket to suspend."));
            }

            ticket.Status = TicketStatus.Suspended;
            action.Record(ticket.Id, TicketEventKind.Suspended, TicketStatus.Suspended, ticket.ServiceId);
            return Task.FromResult(action.Done(ticket.Id));
        }, cancellationToken);

    /// <summary>Calls back a ticket this counter suspended earlier.</summary>
    public Task<Outcome<CounterActionView>> ResumeTicketAsync(StaffActor actor, Guid counterId, Guid ticketId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.ticket.resume", async action =>
        {
            if (action.Current is { } held)
            {
                return ActionResult.Refuse($"This counter already holds {held.Number}; complete, transfer or suspend it first.");
            }

            var ticket = await action.Db.Tickets.FirstOrDefaultAsync(
                t => t.Id == ticketId && t.CounterId == action.Counter.Id && t.Status == TicketStatus.Suspended, cancellationToken);
            if (ticket is null)
            {
                return ActionResult.Refuse("This counter has not suspended that ticket.");
            }

            ticket.Status = TicketStatus.Called;
            ticket.CalledAt = action.Now;
            ticket.StartedAt = null;
            ticket.StaffMemberId = action.Actor.ActorId;
            action.Record(ticket.Id, TicketEventKind.Resumed, TicketStatus.Called, ticket.ServiceId);
            return action.Done(ticket.Id, Announce(ticket.Number, action, isRecall: true));
        }, cancellationToken);

    public Task<Outcome<CounterActionView>> PauseAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.counter.pause", action =>
        {
            action.Counter.IsPaused = true;
            return Task.FromResult(action.Done(null));
        }, cancellationToken);

    public Task<Outcome<CounterActionView>> ResumeCounterAsync(StaffActor actor, Guid counterId, CancellationToken cancellationToken) =>
        ActAsync(actor, counterId, "queue.counter.resume", action =>
        {
            action.Counter.IsPaused = false;
            return Task.FromResult(action.Done(null));
        }, cancellationToken);

    private static void ReturnToWaiting(Ticket ticket)
    {
        ticket.Status = TicketStatus.Waiting;
        ticket.CounterId = null;
        ticket.CalledAt = null;
        ticket.StartedAt = null;
    }

    private static CallAnnouncement Announce(string number, CounterAction action, bool isRecall) =>
        new(number, action.Counter.WindowNumber, action.Counter.Name, action.Now, isRecall);

    private IQueryable<Counter> InScope(BranchScope scope) => db.Counters.InScope(scope);

    /// <summary>The first ticket in calling order for the counter, tracked, so the action can take it.</summary>
    private static async Task<Ticket?> NextCandidateAsync(QueueingDbContext db, Counter counter, List<Guid> serviceIds, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Postgres)
        {
            // SQLite: this transaction is the only writer (BEGIN IMMEDIATE), so the first in
            // calling order is ours, found through the one calling-rule query the waiting list
            // uses too. Not read again as a whole row: this runs in the serial stage every
            // counter waits on. The ticket is attached from what the rule read, and every
            // column a call writes is marked written, so the update never depends on values
            // the stand-in does not hold; call-next reads only its id, number and service.
            var first = await QueueQueries.CallableByAsync(db, counter.BranchId, counter.Id, serviceIds, limit: 1, cancellationToken);
            if (first.Count == 0)
            {
                return null;
            }

            var found = first[0];
            var ticket = new Ticket
            {
                Id = found.Id,
                BranchId = counter.BranchId,
                ServiceId = found.ServiceId,
                Number = found.Number,
                Priority = found.Priority,
                ArrivedAt = found.ArrivedAt,
                Status = TicketStatus.Waiting,
                TrackerToken = string.Empty,
            };
            var entry = db.Tickets.Attach(ticket);
            foreach (var written in CallColumns)
            {
                entry.Property(written).IsModified = true;
            }

            return ticket;
        }

        // PostgreSQL: lock the first callable row no other transaction holds, so counters on any
        // instance calling at the same instant take different tickets without waiting.
        var tickets = await db.Tickets.FromSql($"""
            SELECT t.* FROM queue_tickets AS t
            WHERE t."BranchId" = {counter.BranchId} AND t."Status" = 'Waiting'
              AND (t."TargetCounterId" = {counter.Id} OR (t."TargetCounterId" IS NULL AND t."ServiceId" = ANY({serviceIds.ToArray()})))
            ORDER BY t."Priority" DESC, t."QueuedAt", t."Sequence", t."Id"
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        return tickets.Count == 0 ? null : tickets[0];
    }

    private async Task<Outcome<CounterActionView>> ActAsync(
        StaffActor actor, Guid counterId, string auditAction, Func<CounterAction, Task<ActionResult>> perform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Outcome<CounterActed> acted;
        try
        {
            acted = await writer.ActAsync(new CounterJob(actor, counterId, auditAction, perform), cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            // The entry would have committed with the action: neither did.
            return Outcome<CounterActionView>.Unavailable(LedgerDown);
        }

        if (acted.Kind != OutcomeKind.Ok)
        {
            return new Outcome<CounterActionView>(acted.Kind, null, acted.Detail);
        }

        var (counter, result, receipt) = acted.Value!;
        LogAction(logger, auditAction, counter.Id, result.TicketId);
        events.Publish(new QueueChange(counter.BranchId, result.TicketId, counter.Id, result.Call));
        // The entry committed with the action; what follows it (the anomaly rules) runs while
        // what the counter now holds is read, and the answer waits for both.
        var recorded = ledger.CommittedAsync(receipt, cancellationToken).AsTask();
        var held = ReadHeldAsync(counter.Id, cancellationToken);
        await Task.WhenAll(recorded, held);
        var (current, suspended) = await held;
        return Outcome<CounterActionView>.Ok(new CounterActionView(counter.Id, counter.Name, counter.WindowNumber, counter.IsPaused, current, suspended));
    }

    private async Task<Dictionary<Guid, CurrentTicketView>> CurrentTicketsAsync(Guid branchId, CancellationToken cancellationToken)
    {
        var rows = await (
                from t in db.Tickets.AsNoTracking()
                join s in db.Services on t.ServiceId equals s.Id
                where t.BranchId == branchId && t.CounterId != null && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving)
                select new { CounterId = t.CounterId!.Value, View = new CurrentTicketView(t.Id, t.Number, s.Name, t.Status, t.Priority, t.CalledAt, t.StartedAt) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.CounterId, r => r.View);
    }

    private async Task<CounterStateView> BuildStateAsync(Counter counter, CancellationToken cancellationToken)
    {
        // The state's reads share one connection, opened once rather than once per read.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await ReadStateAsync(counter, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<CounterStateView> ReadStateAsync(Counter counter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var services = await BranchServicesQuery.For(db)(db, counter.BranchId).ToDictionaryAsync(s => s.Id, cancellationToken: cancellationToken);
        var (current, suspended) = await ReadHeldAsync(counter.Id, cancellationToken);
        var serviceIds = counter.Services.Select(s => s.ServiceId).ToList();
        var waiting = await QueueQueries.CallableByAsync(db, counter.BranchId, counter.Id, serviceIds, WaitingListLimit, cancellationToken);

        var warnings = new List<ServiceWarningView>();
        foreach (var serviceId in serviceIds)
        {
            var service = services[serviceId];
            if (service.WaitingWarningLevel <= 0)
            {
                continue;
            }

            // One bounded count on every state: enough to know the level is passed and by how
            // much, up to WarningCountBeyondLevel past it, so a deep queue is not walked each time.
            var limit = service.WaitingWarningLevel + WarningCountBeyondLevel;
            var count = await db.Tickets.WaitingCountAsync(serviceId, cancellationToken, upTo: limit);
            if (count > service.WaitingWarningLevel)
            {
                warnings.Add(new ServiceWarningView(serviceId, service.Name, count, service.WaitingWarningLevel, AtLeast: count == limit));
            }
        }

        return new CounterStateView(
            counter.Id,
            counter.Name,
            counter.WindowNumber,
            counter.IsPaused,
            current,
            suspended,
            [.. waiting.Select(t => new WaitingTicketView(t.Id, t.Number, services[t.ServiceId].Name, t.Priority, (int)(now - t.ArrivedAt).TotalMinutes, t.ArrivedAt))],
            warnings);
    }

    /// <summary>What the counter holds: its current ticket with the masked basics, and the tickets it set aside.</summary>
    private async Task<(CurrentTicketView? Current, IReadOnlyList<SuspendedTicketView> Suspended)> ReadHeldAsync(Guid counterId, CancellationToken cancellationToken)
    {
        var held = await HeldTicketsQuery.For(db)(db, counterId).ToListAsync(cancellationToken);
        var current = held.FirstOrDefault(t => QueueQueries.IsCurrent(t.Status));
        return (
            current is null ? null : new CurrentTicketView(
                current.Id,
                current.Number,
                current.ServiceName,
                current.Status,
                current.Priority,
                current.CalledAt,
                current.StartedAt,
                await names.MaskAsync(current.Id, current.CustomerName, cancellationToken),
                await names.MaskPhoneAsync(current.Id, current.Phone, cancellationToken)),
            [.. held.Where(t => t.Status == TicketStatus.Suspended).Select(t => new SuspendedTicketView(t.Id, t.Number, t.ServiceName))]);
    }

    // Debug: the ledger and the ticket's history record every action, and a busy hall makes thousands a second.
    [LoggerMessage(1101, LogLevel.Debug, "Counter {CounterId} did {Action} on ticket {TicketId}")]
    private static partial void LogAction(ILogger logger, string action, Guid counterId, Guid? ticketId);
}

/// <summary>What a counter's answer shows of a service.</summary>
internal sealed record ServiceLabel(Guid Id, string Name, int WaitingWarningLevel);

/// <summary>A ticket a counter holds (called, serving or suspended), as its answer shows it; name and phone still encrypted.</summary>
internal sealed record HeldTicket(
    Guid Id, string Number, string ServiceName, TicketStatus Status, TicketPriority Priority, DateTime? CalledAt, DateTime? StartedAt, byte[]? CustomerName, byte[]? Phone);
