using Guichet.Privacy.Indexing;
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

/// <summary>Body of POST /api/v1/branches/{branchId}/tickets. Fields are strings so bad values get a field-level 400.</summary>
internal sealed record CreateTicketRequest(string? ServiceId, string? Channel, string? Phone);

/// <summary>The endpoints kiosks, phones and display boards use without signing in.</summary>
internal static class PublicQueueApi
{
    private const int MaxFieldLength = 64;

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Queue (public)");
        group.MapGet("/branches", ListBranches).WithName("ListBranches").WithSummary("Branches and whether each is open now.");
        group.MapGet("/branches/{branchId:guid}/services", ListServices).WithName("ListServices")
            .WithSummary("A branch's services with waiting counts and estimated waits.");
        group.MapPost("/branches/{branchId:guid}/tickets", CreateTicket).WithName("CreateTicket")
            .WithSummary("Takes a ticket (kiosk or online). Needs no personal data; a phone number is optional where the service collects one, and stored encrypted.")
            .RequireRateLimiting(TicketRateLimitPolicy.Name)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/tickets/{trackerToken}", GetTicket).WithName("GetTicket").WithSummary("A ticket's state by its tracker token.");
        group.MapGet("/tickets/{trackerToken}/events", TicketEvents).WithName("TicketEvents")
            .WithSummary("Server-Sent Events: event 'ticket' whenever the ticket's state changes.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/branches/{branchId:guid}/display", GetDisplay).WithName("GetDisplay").WithSummary("The display board's last calls.");
        group.MapGet("/branches/{branchId:guid}/display/events", DisplayEvents).WithName("DisplayEvents")
            .WithSummary("Server-Sent Events: event 'call' per call or recall.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<IReadOnlyList<BranchView>>> ListBranches(TicketDesk desk, CancellationToken cancellationToken) =>
        TypedResults.Ok(await desk.ListBranchesAsync(cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<ServiceView>>, ProblemHttpResult>> ListServices(
        Guid branchId, TicketDesk desk, CancellationToken cancellationToken) =>
        await desk.ListServicesAsync(branchId, cancellationToken) is { } services
            ? TypedResults.Ok(services)
            : ApiResults.NotFound("There is no such branch.");

    private static async Task<Results<Created<TicketIssuedView>, ValidationProblem, ProblemHttpResult>> CreateTicket(
        Guid branchId, CreateTicketRequest request, HttpContext httpContext, TicketDesk desk, OnlineTicketLimiter onlineLimiter, CancellationToken cancellationToken)
    {
        var errors = Validate(request, out var serviceId, out var channel);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The ticket request is not valid.");
        }

        if (channel == TicketChannel.Online && !onlineLimiter.TryAcquire(TicketRateLimitPolicy.ClientAddress(httpContext)))
        {
            return ApiResults.TooManyRequests();
        }

        Outcome<TicketIssuedView> outcome;
        try
        {
            outcome = await desk.IssueAsync(new TicketRequest(branchId, serviceId, channel, Phone: request.Phone), cancellationToken);
        }
        catch (InvalidPersonalDataException ex)
        {
            // The kernel's message says what is wrong without repeating the number.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = [ex.Message] }, title: "The ticket request is not valid.");
        }

        return outcome.Kind == OutcomeKind.Ok
            ? TypedResults.Created($"/api/v1/tickets/{outcome.Value!.TrackerToken}", outcome.Value)
            : ApiResults.Problem(outcome);
    }

    private static Dictionary<string, string[]> Validate(CreateTicketRequest? request, out Guid serviceId, out TicketChannel channel)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        serviceId = Guid.Empty;
        channel = TicketChannel.Kiosk;
        if (request is null)
        {
            errors["body"] = ["A JSON body with serviceId and channel is required."];
            return errors;
        }

        if (string.IsNullOrWhiteSpace(request.ServiceId))
        {
            errors["serviceId"] = ["Choose a service."];
        }
        else if (request.ServiceId.Length > MaxFieldLength || !Guid.TryParse(request.ServiceId, out serviceId))
        {
            errors["serviceId"] = ["serviceId must be a service id (a GUID)."];
        }

        switch (request.Channel)
        {
            case "kiosk":
                channel = TicketChannel.Kiosk;
                break;
            case "online":
                channel = TicketChannel.Online;
                break;
            default:
                errors["channel"] = ["channel must be \"kiosk\" or \"online\"."];
                break;
        }

        return errors;
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> GetTicket(string trackerToken, TicketDesk desk, CancellationToken cancellationToken) =>
        await desk.GetTicketAsync(trackerToken, cancellationToken) is { } found
            ? TypedResults.Ok(found.View)
            : ApiResults.NotFound("There is no such ticket.");

    private static async Task<IResult> TicketEvents(string trackerToken, IServiceScopeFactory scopes, IOptions<QueueingOptions> options, CancellationToken cancellationToken)
    {
        if (await QueueEventStream.ReadFirstAsync(scopes, (TicketDesk desk) => desk.GetTicketAsync(trackerToken, cancellationToken)) is not { } found)
        {
            return ApiResults.NotFound("There is no such ticket.");
        }

        // The ticket's own changes are sent at once; others in the branch (people ahead, the
        // estimate) at most once per refresh interval, so a thousand trackers do not each
        // query the database on every call in the hall. The service's part of each render is
        // shared among the service's trackers.
        var pacing = new LivePacing(change => change.TicketId == found.TicketId, options.Value.LiveRefreshInterval);
        return new QueueEventStream(found.BranchId, "ticket", async (services, _, token) =>
        {
            var outlooks = services.GetRequiredService<TrackerOutlooks>();
            var current = await services.GetRequiredService<TicketDesk>()
                .GetTicketAsync(trackerToken, (serviceId, wait) => outlooks.GetAsync(serviceId).WaitAsync(wait), token);
            return current is { } ticket ? [ticket.View] : [];
        }, pacing);
    }

    private static async Task<Results<Ok<DisplayView>, ProblemHttpResult>> GetDisplay(Guid branchId, TicketDesk desk, CancellationToken cancellationToken) =>
        await desk.DisplayAsync(branchId, cancellationToken) is { } display
            ? TypedResults.Ok(display)
            : ApiResults.NotFound("There is no such branch.");

    private static async Task<IResult> DisplayEvents(Guid branchId, IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        // Only whether the branch exists: the board reads its recent calls itself (GET .../display).
        if (!await QueueEventStream.ReadFirstAsync(scopes, (TicketDesk desk) => desk.BranchExistsAsync(branchId, cancellationToken)))
        {
            return ApiResults.NotFound("There is no such branch.");
        }

        // Every board of the branch shares one render of each call.
        return new QueueEventStream(branchId, "call", async Task<IReadOnlyList<object>> (services, change, token) =>
            change is not null && services.GetRequiredService<DisplayCallRenderer>().RenderAsync(change) is { } call
                ? [await call.WaitAsync(token)]
                : []);
    }
}
