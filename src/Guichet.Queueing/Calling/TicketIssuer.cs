using Guichet.Privacy.Storage;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guichet.Queueing.Calling;

/// <summary>A ticket ready to be numbered and written: its id and protected fields are settled before the write.</summary>
internal sealed record IssueJob(TicketRequest Request, Guid TicketId, TicketPhone? Phone, TicketCustomerName? Name);

/// <summary>A written ticket with what its customer is told: people ahead and the estimated wait.</summary>
internal sealed record IssuedTicket(Ticket Ticket, Service Service, Branch Branch, WaitingCount PeopleAhead, int EstimatedMinutes);

/// <summary>
/// Numbers and writes tickets by group commit: the tickets that arrive while one batch is being
/// made durable are numbered and written together in the next transaction, with one fsync. A
/// ticket is acknowledged only once its batch is committed, so durability on acknowledgement
/// holds; under a rush, the per-ticket cost of that fsync falls with the size of the batch.
/// Each service's state (opening, today's last number, the queue's length up to
/// <see cref="QueueingOptions.CountWaitingUpTo"/>, the wait estimate's inputs) is read once per
/// batch, not once per ticket.
/// </summary>
internal sealed class TicketIssuer
{
    /// <summary>The most tickets in one transaction.</summary>
    public const int MaxBatch = 256;

    // Compiled, as every read of a batch is: under a rush each batch of tickets is written while
    // the next one waits, so what the batch spends translating LINQ, every ticket waits for.
    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, Guid, CancellationToken, Task<ServiceAtBranch?>>> ServiceQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid serviceId, Guid branchId, CancellationToken _) => db.Services.AsNoTracking()
            .Where(s => s.Id == serviceId && s.BranchId == branchId)
            .Join(db.Branches.AsNoTracking(), s => s.BranchId, b => b.Id, (s, b) => new ServiceAtBranch(s, b))
            .FirstOrDefault()));

    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, DateOnly, CancellationToken, Task<int?>>> LastSequenceQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid serviceId, DateOnly day, CancellationToken _) => db.Tickets
            .Where(t => t.IssuedServiceId == serviceId && t.ServiceDay == day)
            .Max(t => (int?)t.Sequence)));

    private readonly WaitEstimator estimator;
    private readonly TimeProvider time;
    private readonly int countWaitingUpTo;
    private readonly QueueGroupCommit<IssueJob, Outcome<IssuedTicket>> commits;

    public TicketIssuer(IServiceScopeFactory scopes, QueueWriteGate gate, WaitEstimator estimator, TimeProvider time, IOptions<QueueingOptions> options, ILogger<TicketIssuer> logger)
    {
        this.estimator = estimator;
        this.time = time;
        countWaitingUpTo = options.Value.CountWaitingUpTo;
        commits = new(scopes, gate, WriteAsync, MaxBatch, logger);
    }

    public Task<Outcome<IssuedTicket>> IssueAsync(IssueJob job, CancellationToken cancellationToken) =>
        commits.SubmitAsync(job, cancellationToken);


    private async Task<IReadOnlyList<Outcome<IssuedTicket>>> WriteAsync(QueueingDbContext db, IReadOnlyList<IssueJob> jobs, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;

        // In a fixed order, so that instances sharing PostgreSQL take the per-service locks alike.
        var tallies = new Dictionary<(Guid BranchId, Guid ServiceId), ServiceTally?>();
        foreach (var key in jobs.Select(j => (j.Request.BranchId, j.Request.ServiceId)).Distinct().Order())
        {
            tallies[key] = await LoadAsync(db, key.BranchId, key.ServiceId, now, cancellationToken);
        }

        var outcomes = new Outcome<IssuedTicket>[jobs.Count];
        var written = new List<(int Job, ServiceTally Tally, Ticket Ticket, int Position)>(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            var request = jobs[i].Request;
            var tally = tallies[(request.BranchId, request.ServiceId)];
            if (tally is null)
            {
                outcomes[i] = Outcome<IssuedTicket>.NotFound("There is no such service at this branch.");
            }
            else if (!tally.IsOpen)
            {
                outcomes[i] = Outcome<IssuedTicket>.Unprocessable($"{tally.Service.Name} is closed at this time. Please come back during service hours.");
            }
            else if (tally.LastSequence >= tally.Service.DailyCap)
            {
                outcomes[i] = Outcome<IssuedTicket>.Unprocessable($"{tally.Service.Name} has given out all of today's tickets. Please come back another day.");
            }
            else
            {
                var ticket = NewTicket(jobs[i], tally, ++tally.LastSequence, now);
                var position = ticket.Priority == TicketPriority.Priority ? tally.NewPriority++ : tally.NewNormal++;
                written.Add((i, tally, ticket, position));
            }
        }

        // Prepared once for the batch rather than once for every row, as SaveChanges would.
        await PreparedInsert.InsertAsync(db, written.ConvertAll(w => w.Ticket), cancellationToken);
        await PreparedInsert.InsertAsync(db, written.ConvertAll(w => w.Ticket.Events[0]), cancellationToken);
        foreach (var (job, tally, ticket, position) in written)
        {
            var ahead = WaitingCount.Of(tally.PeopleAhead(ticket.Priority, position), countWaitingUpTo);
            var estimate = WaitEstimator.Estimate(ahead.Value, tally.MinutesPerService, tally.OpenCounters);
            outcomes[job] = Outcome<IssuedTicket>.Ok(new IssuedTicket(ticket, tally.Service, tally.Branch, ahead, estimate));
        }

        return outcomes;
    }

    private async Task<ServiceTally?> LoadAsync(QueueingDbContext db, Guid branchId, Guid serviceId, DateTime now, CancellationToken cancellationToken)
    {
        var found = await ServiceQuery.For(db)(db, serviceId, branchId, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var (service, branch) = (found.Service, found.Branch);
        var tally = new ServiceTally(service, branch, BranchCalendar.LocalDay(branch, now), BranchCalendar.IsOpen(branch, service, now));
        if (!tally.IsOpen)
        {
            return tally;
        }

        if (db.Provider == DatabaseProvider.Postgres)
        {
            // Serializes numbering per service across instances until this transaction ends.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({TicketDesk.AdvisoryKey(service.Id)})", cancellationToken);
        }

        tally.LastSequence = await LastSequenceQuery.For(db)(db, service.Id, tally.Day, cancellationToken) ?? 0;
        tally.WaitingPriority = await QueueQueries.WaitingAsync(db, service.Id, TicketPriority.Priority, countWaitingUpTo, cancellationToken);
        tally.WaitingNormal = await QueueQueries.WaitingAsync(db, service.Id, TicketPriority.Normal, countWaitingUpTo, cancellationToken);
        tally.MinutesPerService = await estimator.MinutesPerServiceAsync(db, branch, service, now, cancellationToken);
        tally.OpenCounters = await WaitEstimator.OpenCountersAsync(db, service.Id, cancellationToken);
        return tally;
    }

    private static Ticket NewTicket(IssueJob job, ServiceTally tally, int sequence, DateTime now)
    {
        var (request, phone, name) = (job.Request, job.Phone, job.Name);
        var ticket = new Ticket
        {
            Id = job.TicketId,
            CustomerSubjectId = phone?.SubjectId ?? name?.SubjectId,
            CustomerName = name?.Ciphertext,
            Phone = phone?.Value.Ciphertext,
            PhoneIndex = phone?.Value.FullIndex,
            PhoneLastFour = phone?.Value.LastFourIndex,
            BranchId = tally.Branch.Id,
            ServiceId = tally.Service.Id,
            IssuedServiceId = tally.Service.Id,
            ServiceDay = tally.Day,
            Sequence = sequence,
            Number = TicketDesk.FormatNumber(tally.Service.Prefix, sequence),
            Channel = request.Channel,
            Priority = request.Priority,
            PriorityReason = request.Priority == TicketPriority.Priority ? request.PriorityReason : null,
            Status = TicketStatus.Waiting,
            ArrivedAt = now,
            QueuedAt = now,
            StaffMemberId = request.StaffMemberId,
            TrackerToken = TrackerToken.Create(new DateTimeOffset(now, TimeSpan.Zero)),
        };
        ticket.Events.Add(new TicketEvent
        {
            TicketId = ticket.Id,
            Kind = TicketEventKind.Issued,
            Status = TicketStatus.Waiting,
            OccurredAt = now,
            ServiceId = tally.Service.Id,
            StaffMemberId = request.StaffMemberId,
        });
        return ticket;
    }

    private sealed record ServiceAtBranch(Service Service, Branch Branch);

    /// <summary>One service's state as read at the start of a batch, and the batch's tickets for it so far.</summary>
    private sealed class ServiceTally(Service service, Branch branch, DateOnly day, bool isOpen)
    {
        public Service Service { get; } = service;

        public Branch Branch { get; } = branch;

        public DateOnly Day { get; } = day;

        public bool IsOpen { get; } = isOpen;

        public int LastSequence { get; set; }

        public int WaitingPriority { get; set; }

        public int WaitingNormal { get; set; }

        public double MinutesPerService { get; set; }

        public int OpenCounters { get; set; }

        public int NewPriority { get; set; }

        public int NewNormal { get; set; }

        /// <summary>
        /// Who the calling rule takes before a new ticket once the batch is in (each waiting count
        /// stops at the bound, and so the sum is at least the bound whenever one of them did): every waiting
        /// priority ticket ahead of a priority one; for a normal ticket, every priority ticket
        /// (this batch's too) and every normal ticket queued before it. A new ticket is queued
        /// now, after everyone already waiting.
        /// </summary>
        public int PeopleAhead(TicketPriority priority, int position) =>
            priority == TicketPriority.Priority
                ? WaitingPriority + position
                : WaitingPriority + NewPriority + WaitingNormal + position;
    }
}
