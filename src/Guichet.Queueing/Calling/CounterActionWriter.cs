using Guichet.Privacy.Auditing;
using Guichet.Privacy.Storage;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Live;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guichet.Queueing.Calling;

/// <summary>
/// One counter action asked for by a member of staff: which counter, what to do there, and the
/// ledger's name for it (<paramref name="AuditAction"/>).
/// </summary>
internal sealed record CounterJob(StaffActor Actor, Guid CounterId, string AuditAction, Func<CounterAction, Task<ActionResult>> Perform);

/// <summary>
/// A counter action that was written: the counter as it now is, what the action did, and its
/// ledger entry, committed with it (<see cref="Receipt"/> goes to <see cref="IAuditTrailInTransaction.CommittedAsync"/>).
/// </summary>
internal sealed record CounterActed(Counter Counter, ActionResult Result, AuditReceipt Receipt);

/// <summary>
/// Writes counter actions by group commit: the actions that arrive from many windows while one
/// transaction is being fsynced run one after another in the next transaction, each seeing
/// what the ones before it wrote (so two counters never call the same ticket), and share its
/// fsync. Each action's ledger entry is written in the same transaction, so an action and its
/// entry are durable together or not at all. An action that refuses leaves nothing behind;
/// each caller is answered only once the batch is durable.
/// </summary>
internal sealed class CounterActionWriter
{
    /// <summary>The most actions in one transaction.</summary>
    public const int MaxBatch = 64;

    private const string NoCounter = "There is no such counter.";

    // Compiled, and the branch scope checked in memory: these two reads run for every action
    // inside the serial stage of the write, where building a query each time cost more than running it.
    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, CancellationToken, Task<Counter?>>> CounterQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid counterId, CancellationToken _) =>
            db.Counters.Include(c => c.Services).FirstOrDefault(c => c.Id == counterId)));

    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, CancellationToken, Task<Ticket?>>> CurrentTicketQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid counterId, CancellationToken _) =>
            db.Tickets.FirstOrDefault(t => t.CounterId == counterId && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving))));

    private readonly TimeProvider time;
    private readonly IAuditTrailInTransaction ledger;
    private readonly QueueGroupCommit<CounterJob, Outcome<CounterActed>> commits;

    public CounterActionWriter(IServiceScopeFactory scopes, QueueWriteGate gate, TimeProvider time, IAuditTrailInTransaction ledger, ILogger<CounterActionWriter> logger)
    {
        this.time = time;
        this.ledger = ledger;
        commits = new(scopes, gate, WriteAsync, MaxBatch, logger);
    }

    public Task<Outcome<CounterActed>> ActAsync(CounterJob job, CancellationToken cancellationToken) =>
        commits.SubmitAsync(job, cancellationToken);


    private async Task<IReadOnlyList<Outcome<CounterActed>>> WriteAsync(QueueingDbContext db, IReadOnlyList<CounterJob> jobs, CancellationToken cancellationToken)
    {
        var acted = new (Counter Counter, ActionResult Result)?[jobs.Count];
        var outcomes = new Outcome<CounterActed>[jobs.Count];
        var history = new List<TicketEvent>();
        // By counter (in arrival order for one counter), so instances sharing PostgreSQL lock counters alike.
        foreach (var i in Enumerable.Range(0, jobs.Count).OrderBy(i => jobs[i].CounterId))
        {
            var outcome = await ActOneAsync(db, jobs[i], history, cancellationToken);
            if (outcome.Kind == OutcomeKind.Ok)
            {
                acted[i] = outcome.Value;
            }
            else
            {
                outcomes[i] = new Outcome<CounterActed>(outcome.Kind, null, outcome.Detail);
            }
        }

        // The batch's history in one prepared insert, in the order the actions ran: no action
        // reads ticket history, and it commits with them.
        await PreparedInsert.InsertAsync(db, history, cancellationToken);

        // Then every action's ledger entry, in the same transaction.
        var done = Enumerable.Range(0, jobs.Count).Where(i => acted[i] is not null).ToList();
        var receipts = await ledger.AppendAsync(
            db.Database.CurrentTransaction!.GetDbTransaction(),
            [.. done.Select(i => EntryOf(jobs[i], acted[i]!.Value.Counter, acted[i]!.Value.Result))],
            cancellationToken);
        for (var k = 0; k < done.Count; k++)
        {
            var (counter, result) = acted[done[k]]!.Value;
            outcomes[done[k]] = Outcome<CounterActed>.Ok(new CounterActed(counter, result, receipts[k]));
        }

        return outcomes;
    }

    private static AuditEvent EntryOf(CounterJob job, Counter counter, ActionResult result) =>
        new(
            job.AuditAction,
            new AuditActor(AuditActorKind.Staff, job.Actor.ActorId),
            AuditOutcome.Success,
            result.TicketId is null ? "counter" : "ticket",
            (result.TicketId ?? counter.Id).ToString(),
            ClientAddress: job.Actor.ClientAddress,
            BranchId: counter.BranchId.ToString());

    private async Task<Outcome<(Counter Counter, ActionResult Result)>> ActOneAsync(QueueingDbContext db, CounterJob job, List<TicketEvent> history, CancellationToken cancellationToken)
    {
        try
        {
            if (db.Provider == DatabaseProvider.Postgres)
            {
                // One action at a time per counter, across instances (a double-click calls once).
                await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM queue_counters WHERE "Id" = {job.CounterId} FOR UPDATE""", cancellationToken);
            }

            var counter = await CounterQuery.For(db)(db, job.CounterId, cancellationToken);
            if (counter is null || !job.Actor.Scope.Includes(counter.BranchId))
            {
                return Outcome<(Counter, ActionResult)>.NotFound(NoCounter);
            }

            var current = await CurrentTicketQuery.For(db)(db, counter.Id, cancellationToken);
            var action = new CounterAction(db, counter, current, time.GetUtcNow().UtcDateTime, job.Actor);
            var result = await job.Perform(action);
            if (result.Refusal is { } refusal)
            {
                return result.IsMissing ? Outcome<(Counter, ActionResult)>.NotFound(refusal) : Outcome<(Counter, ActionResult)>.Conflict(refusal);
            }

            counter.StaffMemberId = job.Actor.ActorId;
            await db.SaveChangesAsync(cancellationToken);
            history.AddRange(action.Recorded);
            return Outcome<(Counter, ActionResult)>.Ok((counter, result));
        }
        finally
        {
            // A refused action's unsaved changes go; the next action starts from what is written.
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>The state an action works on, and how it records what it did.</summary>
internal sealed class CounterAction(QueueingDbContext db, Counter counter, Ticket? current, DateTime now, StaffActor actor)
{
    /// <summary>The batch's context: what the action reads and writes goes through it.</summary>
    public QueueingDbContext Db { get; } = db;

    public Counter Counter { get; } = counter;

    public Ticket? Current { get; } = current;

    public DateTime Now { get; } = now;

    public StaffActor Actor { get; } = actor;

    /// <summary>What the action recorded in the tickets' history; written with the batch once every action has run.</summary>
    public List<TicketEvent> Recorded { get; } = [];

    public void Record(Guid ticketId, TicketEventKind kind, TicketStatus status, Guid serviceId) =>
        Recorded.Add(new TicketEvent
        {
            TicketId = ticketId,
            Kind = kind,
            Status = status,
            OccurredAt = Now,
            CounterId = Counter.Id,
            ServiceId = serviceId,
            StaffMemberId = Actor.ActorId,
        });

    public ActionResult Done(Guid? ticketId, CallAnnouncement? call = null)
    {
        if (Current is { } ticket && ticket.Id == ticketId)
        {
            ticket.StaffMemberId = Actor.ActorId;
        }

        return new(ticketId, call, null, false);
    }
}

/// <summary>What an action did, or why it refused.</summary>
internal sealed record ActionResult(Guid? TicketId, CallAnnouncement? Call, string? Refusal, bool IsMissing)
{
    public static ActionResult Refuse(string detail) => new(null, null, detail, false);

    public static ActionResult Missing(string detail) => new(null, null, detail, true);
}

internal static class CounterScope
{
    /// <summary>The counters of the branches a member of staff may act in.</summary>
    public static IQueryable<Counter> InScope(this IQueryable<Counter> counters, BranchScope scope) =>
        counters.Where(c => scope.AllBranches || scope.BranchIds.Contains(c.BranchId));
}
