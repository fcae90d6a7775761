using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Guichet.Queueing.Api;

/// <summary>
/// Body of a staff-issued ticket: the service, for a priority ticket the reason, and optionally
/// the customer's name (stored through the privacy kernel; shown only masked).
/// </summary>
internal sealed record StaffTicketRequest(Guid ServiceId, string? PriorityReason, string? CustomerName = null);

/// <summary>Body of the transfer action: a service, a counter, or both.</summary>
internal sealed record TransferRequest(Guid? ToServiceId, Guid? ToCounterId);

/// <summary>
/// The counter console's endpoints: staff only, scoped to the caller's branches. Actions answer
/// with what the counter holds; its waiting list comes with GET /counters/{id} and its events.
/// </summary>
internal static class CounterApi
{
    private delegate Task<Outcome<CounterActionView>> CounterAction(CounterDesk desk, StaffActor actor, Guid counterId, CancellationToken cancellationToken);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Queue (counters)").RequireAuthorization(QueueingPermissions.OperateCounter)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/branches/{branchId:guid}/counters", ListCounters).WithName("ListCounters").WithSummary("A branch's counters.");
        group.MapPost("/branches/{branchId:guid}/staff-tickets", IssueStaffTicket).WithName("IssueStaffTicket")
            .WithSummary("Staff issue a ticket at the desk, optionally with priority (elderly, disability, vip).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/counters/{counterId:guid}", GetCounter).WithName("GetCounter").WithSummary("A counter's state, waiting list and warnings.");
        group.MapGet("/counters/{counterId:guid}/events", CounterEvents).WithName("CounterEvents")
            .WithSummary("Server-Sent Events: event 'counter' with the counter state whenever it or its waiting list changes.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

        MapAction(group, "call-next", "CallNext", "Calls the next ticket by the calling rule.", (d, a, id, ct) => d.CallNextAsync(a, id, ct));
        MapAction(group, "recall", "Recall", "Announces the called ticket again.", (d, a, id, ct) => d.RecallAsync(a, id, ct));
        MapAction(group, "start", "StartService", "The called customer arrived: serving starts.", (d, a, id, ct) => d.StartAsync(a, id, ct));
        MapAction(group, "complete", "CompleteService", "Serving is done.", (d, a, id, ct) => d.CompleteAsync(a, id, ct));
        MapAction(group, "no-show", "NoShow", "The called customer did not come.", (d, a, id, ct) => d.NoShowAsync(a, id, ct));
        MapAction(group, "return-to-queue", "ReturnToQueue", "Puts the current ticket back at the end of its queue.", (d, a, id, ct) => d.ReturnToQueueAsync(a, id, ct));
        MapAction(group, "suspend", "Suspend", "Sets the current ticket aside at this counter.", (d, a, id, ct) => d.SuspendAsync(a, id, ct));
        MapAction(group, "pause", "PauseCounter", "Stops calling at this counter.", (d, a, id, ct) => d.PauseAsync(a, id, ct));
        MapAction(group, "resume-counter", "ResumeCounter", "Calling at this counter again.", (d, a, id, ct) => d.ResumeCounterAsync(a, id, ct));

        group.MapPost("/counters/{counterId:guid}/transfer", Transfer).WithName("Transfer")
            .WithSummary("Transfers the current ticket to another service or counter, keeping its original arrival time.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/counters/{counterId:guid}/resume/{ticketId:guid}", ResumeTicket).WithName("ResumeTicket")
            .WithSummary("Calls back a ticket this counter suspended.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static void MapAction(RouteGroupBuilder group, string path, string name, string summary, CounterAction action) =>
        group.MapPost($"/counters/{{counterId:guid}}/{path}", async Task<Results<Ok<CounterActionView>, ProblemHttpResult>> (
                Guid counterId, HttpContext httpContext, CounterDesk desk, CancellationToken cancellationToken) =>
                ApiResults.From(await action(desk, Actor(httpContext), counterId, cancellationToken)))
            .WithName(name).WithSummary(summary).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static StaffActor Actor(HttpContext httpContext) =>
        StaffActor.FromPrincipal(httpContext.User, httpContext.Connection.RemoteIpAddress?.ToString());

    private static async Task<Results<Ok<IReadOnlyList<CounterSummaryView>>, ProblemHttpResult>> ListCounters(
        Guid branchId, HttpContext httpContext, CounterDesk desk, CancellationToken cancellationToken) =>
        await desk.ListAsync(Actor(httpContext), branchId, cancellationToken) is { } counters
            ? TypedResults.Ok(counters)
            : ApiResults.NotFound("There is no such branch.");

    private static async Task<Results<Ok<CounterStateView>, ProblemHttpResult>> GetCounter(
        Guid counterId, HttpContext httpContext, CounterDesk desk, CancellationToken cancellationToken) =>
        await desk.GetStateAsync(Actor(httpContext), counterId, cancellationToken) is { } state
            ? TypedResults.Ok(state)
            : ApiResults.NotFound("There is no such counter.");

    private static async Task<IResult> CounterEvents(
        Guid counterId, HttpContext httpContext, IServiceScopeFactory scopes, IOptions<QueueingOptions> options, CancellationToken cancellationToken)
    {
        var actor = Actor(httpContext);
        var branchId = await QueueEventStream.ReadFirstAsync(scopes, async (CounterDesk desk) =>
            await desk.GetStateAsync(actor, counterId, cancellationToken) is null ? (Guid?)null : await desk.BranchOfAsync(counterId, cancellationToken));
        if (branchId is not { } branch)
        {
            return ApiResults.NotFound("There is no such counter.");
        }

        // This counter's own actions are sent at once; the rest of the hall (its waiting list)
        // at most once per refresh interval.
        var pacing = new LivePacing(change => change.CounterId == counterId, options.Value.LiveRefreshInterval);
        return new QueueEventStream(branch, "counter", async (services, _, token) =>
            await services.GetRequiredService<CounterDesk>().GetStateAsync(actor, counterId, token) is { } state ? [state] : [], pacing);
    }

    private static async Task<Results<Created<TicketIssuedView>, ValidationProblem, ProblemHttpResult>> IssueStaffTicket(
        Guid branchId, StaffTicketRequest request, HttpContext httpContext, TicketDesk desk, CancellationToken cancellationToken)
    {
        if (!TryParseReason(request.PriorityReason, out var reason))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["priorityReason"] = ["priorityReason must be \"elderly\", \"disability\", \"vip\" or null."] },
                title: "The ticket request is not valid.");
        }

        if (TicketCustomerNames.Validate(request.CustomerName) is { } nameError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["customerName"] = [nameError] }, title: "The ticket request is not valid.");
        }

        var outcome = await desk.IssueForStaffAsync(Actor(httpContext), branchId, request.ServiceId, reason, cancellationToken, request.CustomerName);
        return outcome.Kind == OutcomeKind.Ok
            ? TypedResults.Created($"/api/v1/tickets/{outcome.Value!.TrackerToken}", outcome.Value)
            : ApiResults.Problem(outcome);
    }

    private static bool TryParseReason(string? text, out PriorityReason? reason)
    {
        reason = text switch
        {
            "elderly" => PriorityReason.Elderly,
            "disability" => PriorityReason.Disability,
            "vip" => PriorityReason.Vip,
            _ => null,
        };
        return text is null || reason is not null;
    }

    private static async Task<Results<Ok<CounterActionView>, ValidationProblem, ProblemHttpResult>> Transfer(
        Guid counterId, TransferRequest request, HttpContext httpContext, CounterDesk desk, CancellationToken cancellationToken)
    {
        if (request is not { ToServiceId: not null } and not { ToCounterId: not null })
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["toServiceId"] = ["Give toServiceId, toCounterId, or both."] },
                title: "The transfer request is not valid.");
        }

        var outcome = await desk.TransferAsync(Actor(httpContext), counterId, request.ToServiceId, request.ToCounterId, cancellationToken);
        return outcome.Kind == OutcomeKind.Ok ? TypedResults.Ok(outcome.Value!) : ApiResults.Problem(outcome);
    }

    private static async Task<Results<Ok<CounterActionView>, ProblemHttpResult>> ResumeTicket(
        Guid counterId, Guid ticketId, HttpContext httpContext, CounterDesk desk, CancellationToken cancellationToken) =>
        ApiResults.From(await desk.ResumeTicketAsync(Actor(httpContext), counterId, ticketId, cancellationToken));
}
