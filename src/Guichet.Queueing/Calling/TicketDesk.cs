using Guichet.Privacy.Storage;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Live;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guichet.Queueing.Calling;

/// <summary>A request for a ticket; the phone number is optional and only for services that collect one (P10).</summary>
internal sealed record TicketRequest(
    Guid BranchId,
    Guid ServiceId,
    TicketChannel Channel,
    TicketPriority Priority = TicketPriority.Normal,
    PriorityReason? PriorityReason = null,
    string? StaffMemberId = null,
    string? Phone = null,
    string? CustomerName = null);

/// <summary>The public side of the hall: branches, services, issuing tickets, the tracker and the display board.</summary>
internal sealed partial class TicketDesk(
    QueueingDbContext db,
    TicketIssuer issuer,
    WaitEstimator estimator,
    IQueueEvents events,
    TicketPhones phones,
    TicketCustomerNames names,
    TimeProvider time,
    IOptions<QueueingOptions> options,
    ILogger<TicketDesk> logger)
{
    public const int RecentCallsShown = 10;

    // Compiled: every live tracker reads its ticket (and, once called, its counter) on each refresh.
    private static readonly CompiledQuery<Func<QueueingDbContext, string, CancellationToken, Task<Ticket?>>> TicketByTrackerQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, string token, CancellationToken _) => db.Tickets.AsNoTracking().FirstOrDefault(t => t.TrackerToken == token)));

    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, CancellationToken, Task<Counter?>>> CounterQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid counterId, CancellationToken _) => db.Counters.AsNoTracking().FirstOrDefault(c => c.Id == counterId)));

    public async Task<IReadOnlyList<BranchView>> ListBranchesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var branches = await db.Branches.AsNoTracking().OrderBy(b => b.Name).ToListAsync(cancellationToken);
        return [.. branches.Select(b => new BranchView(b.Id, b.Name, b.TimeZoneId, BranchCalendar.IsOpen(b, null, now)))];
    }

    public async Task<IReadOnlyList<ServiceView>?> ListServicesAsync(Guid branchId, CancellationToken cancellationToken)
    {
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, cancellationToken);
        if (branch is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var services = await db.Services.AsNoTracking().Where(s => s.BranchId == branchId)
            .OrderBy(s => s.DisplayOrder).ThenBy(s => s.Prefix).ToListAsync(cancellationToken);
        var views = new List<ServiceView>(services.Count);
        var upTo = options.Value.CountWaitingUpTo;
        foreach (var service in services)
        {
            var waiting = WaitingCount.Of(await db.Tickets.WaitingCountAsync(service.Id, cancellationToken, upTo), upTo);
            var estimate = await estimator.EstimateAsync(db, branch, service, waiting.Value, now, cancellationToken);
            views.Add(new ServiceView(
                service.Id, service.Name, service.Prefix, BranchCalendar.IsOpen(branch, service, now), waiting.Value, waiting.AtLeast, estimate,
                service.CollectsPhone, service.CollectsPhone ? service.PhonePurpose : null));
        }

        return views;
    }

    /// <summary>Issues a ticket, or says plainly why not (closed, cap reached); nothing is written then.</summary>
    /// <exception cref="Privacy.Indexing.InvalidPersonalDataException">The phone number is not valid, or the service takes none.</exception>
    public async Task<Outcome<TicketIssuedView>> IssueAsync(TicketRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ticketId = Guid.CreateVersion7(time.GetUtcNow());
        // Encrypted before the write transaction: the kernel may create the customer's key.
        var phone = string.IsNullOrWhiteSpace(request.Phone)
            ? null
            : await phones.ProtectAsync(request.BranchId, request.ServiceId, ticketId, request.Phone, cancellationToken);
        var name = string.IsNullOrWhiteSpace(request.CustomerName)
            ? null
            : await names.ProtectAsync(ticketId, request.CustomerName, phone?.SubjectId, cancellationToken);
        var issued = await issuer.IssueAsync(new IssueJob(request, ticketId, phone, name), cancellationToken);
        if (issued.Kind != OutcomeKind.Ok)
        {
            return new Outcome<TicketIssuedView>(issued.Kind, null, issued.Detail);
        }

        var (ticket, service, branch, ahead, estimate) = issued.Value!;
        LogIssued(logger, ticket.Id, service.Id, ticket.Channel);
        events.Publish(new QueueChange(branch.Id, ticket.Id));
        return Outcome<TicketIssuedView>.Ok(new TicketIssuedView(
            ticket.Id, ticket.Number, service.Name, ahead.Value, ahead.AtLeast, estimate, ticket.TrackerToken, $"/t/{ticket.TrackerToken}", ticket.ArrivedAt));
    }

    /// <summary>Staff issue a ticket at the desk, possibly with priority; only in a branch of their scope.</summary>
    public async Task<Outcome<TicketIssuedView>> IssueForStaffAsync(
        StaffActor actor, Guid branchId, Guid serviceId, PriorityReason? priorityReason, CancellationToken cancellationToken, string? customerName = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var scope = actor.Scope;
        if (!await db.Branches.AsNoTracking().AnyAsync(b => b.Id == branchId && (scope.AllBranches || scope.BranchIds.Contains(b.Id)), cancellationToken))
        {
            return Outcome<TicketIssuedView>.NotFound("There is no such branch.");
        }

        var priority = priorityReason is null ? TicketPriority.Normal : TicketPriority.Priority;
        return await IssueAsync(new TicketRequest(branchId, serviceId, TicketChannel.Staff, priority, priorityReason, actor.ActorId, CustomerName: customerName), cancellationToken);
    }

    public Task<(Guid BranchId, Guid TicketId, TicketView View)?> GetTicketAsync(string trackerToken, CancellationToken cancellationToken) =>
        GetTicketAsync(trackerToken, (serviceId, token) => estimator.OutlookAsync(db, serviceId, time.GetUtcNow().UtcDateTime, token), cancellationToken);

    /// <param name="trackerToken">The ticket's tracker token.</param>
    /// <param name="outlookOf">The outlook of the ticket's service: read now, or shared among a service's live trackers.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public async Task<(Guid BranchId, Guid TicketId, TicketView View)?> GetTicketAsync(
        string trackerToken, Func<Guid, CancellationToken, Task<ServiceOutlook?>> outlookOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outlookOf);
        if (!TrackerToken.IsWellFormed(trackerToken)
            || await TicketByTrackerQuery.For(db)(db, trackerToken, cancellationToken) is not { } ticket
            || await outlookOf(ticket.ServiceId, cancellationToken) is not { } outlook)
        {
            return null;
        }

        var counter = ticket.CounterId is { } counterId && QueueQueries.IsCurrent(ticket.Status)
            ? await CounterQuery.For(db)(db, counterId, cancellationToken)
            : null;
        var ahead = await QueueQueries.PeopleAheadAsync(db, ticket, options.Value.CountWaitingUpTo, cancellationToken);
        return (outlook.Branch.Id, ticket.Id, new TicketView(
            ticket.Number, outlook.Service.Name, ticket.Status, ahead.Value, ahead.AtLeast, outlook.EstimateFor(ahead.Value), counter?.Name, counter?.WindowNumber));
    }

    public Task<bool> BranchExistsAsync(Guid branchId, CancellationToken cancellationToken) =>
        db.Branches.AsNoTracking().AnyAsync(b => b.Id == branchId, cancellationToken);

    public async Task<DisplayView?> DisplayAsync(Guid branchId, CancellationToken cancellationToken)
    {
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, cancellationToken);
        if (branch is null)
        {
            return null;
        }

        TicketEventKind[] calls = [TicketEventKind.Called, TicketEventKind.Recalled, TicketEventKind.Resumed];
        var recent = await (
                from e in db.TicketEvents.AsNoTracking()
                join t in db.Tickets on e.TicketId equals t.Id
                join c in db.Counters on e.CounterId equals c.Id
                where t.BranchId == branchId && calls.Contains(e.Kind)
                orderby e.OccurredAt descending, e.Id descending
                select new { t.Id, t.Number, t.CustomerName, c.WindowNumber, CounterName = c.Name, e.OccurredAt, e.Kind })
            .Take(RecentCallsShown)
            .ToListAsync(cancellationToken);
        var views = new List<DisplayCallView>(recent.Count);
        foreach (var r in recent)
        {
            var maskedName = branch.ShowMaskedNames ? await names.MaskAsync(r.Id, r.CustomerName, cancellationToken) : null;
            views.Add(new DisplayCallView(r.Number, r.WindowNumber, r.CounterName, r.OccurredAt, r.Kind != TicketEventKind.Called, maskedName));
        }

        return new DisplayView(branch.Name, branch.ShowMaskedNames, views);
    }

    /// <summary>
    /// A call as the display board shows it: the announcement, and the masked name when the
    /// branch shows them (read now, so a setting changed a moment ago holds). Never a phone.
    /// </summary>
    public async Task<DisplayCallView> DisplayCallAsync(Guid branchId, Guid? ticketId, CallAnnouncement call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        string? maskedName = null;
        if (ticketId is { } id
            && await db.Branches.AsNoTracking().AnyAsync(b => b.Id == branchId && b.ShowMaskedNames, cancellationToken))
        {
            var ciphertext = await db.Tickets.AsNoTracking().Where(t => t.Id == id && t.BranchId == branchId)
                .Select(t => t.CustomerName).FirstOrDefaultAsync(cancellationToken);
            maskedName = await names.MaskAsync(id, ciphertext, cancellationToken);
        }

        return new DisplayCallView(call.Number, call.WindowNumber, call.CounterName, call.CalledAt, call.IsRecall, maskedName);
    }

    internal static string FormatNumber(string prefix, int sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}{sequence:D3}");

    internal static long AdvisoryKey(Guid id) => BitConverter.ToInt64(id.ToByteArray(), 0);

    // Debug: the ticket's history records its issue, and a busy hall issues thousands a second.
    [LoggerMessage(1001, LogLevel.Debug, "Ticket {TicketId} issued for service {ServiceId} via {Channel}")]
    private static partial void LogIssued(ILogger logger, Guid ticketId, Guid serviceId, TicketChannel channel);
}
