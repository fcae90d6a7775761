using Guichet.Queueing.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Guichet.Queueing.Api;

/// <summary>
/// Branch, service and counter configuration (docs/queue.md, "Configuration API"). Branch
/// managers configure the branches in their scope; administrators (whose scope is every branch)
/// also create branches. Out-of-scope ids answer 404.
/// </summary>
internal static class ConfigurationApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/configuration").WithTags("Queue (configuration)")
            .RequireAuthorization(QueueingPermissions.ManageBranch)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/branches", ListBranches).WithName("ListBranchConfigurations")
            .WithSummary("The branches in the caller's scope with their settings, services and counters.");
        group.MapPost("/branches", CreateBranch).WithName("CreateBranch")
            .WithSummary("Creates a branch (administrators).")
            .RequireAuthorization(QueueingPermissions.CreateBranch)
            .ProducesValidationProblem();
        group.MapPut("/branches/{branchId:guid}", UpdateBranch).WithName("UpdateBranch")
            .WithSummary("Replaces a branch's settings: name, time zone, opening hours, masked name on the display board.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/branches/{branchId:guid}/services", CreateService).WithName("CreateService")
            .WithSummary("Adds a service (its own queue and ticket prefix) to a branch.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/services/{serviceId:guid}", UpdateService).WithName("UpdateService")
            .WithSummary("Replaces a service's settings.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/branches/{branchId:guid}/counters", CreateCounter).WithName("CreateCounter")
            .WithSummary("Adds a counter (window) serving some of the branch's services.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/counters/{counterId:guid}", UpdateCounter).WithName("UpdateCounter")
            .WithSummary("Replaces a counter's name, window number and services.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static string? ClientAddress(HttpContext httpContext) => httpContext.Connection.RemoteIpAddress?.ToString();

    private static async Task<Ok<IReadOnlyList<BranchSettings>>> ListBranches(HttpContext httpContext, IBranchConfiguration configuration, CancellationToken cancellationToken) =>
        TypedResults.Ok(await configuration.ListAsync(httpContext.User, cancellationToken));

    private static async Task<Results<Created<BranchSettings>, ValidationProblem, ProblemHttpResult>> CreateBranch(
        BranchInput? input, HttpContext httpContext, IBranchConfiguration configuration, CancellationToken cancellationToken) =>
        Created(
            input is null ? MissingBody<BranchSettings>() : await configuration.CreateBranchAsync(httpContext.User, input, ClientAddress(httpContext), cancellationToken),
            b => $"/api/v1/configuration/branches/{b.Id}",
            "branch");

    private static async Task<Results<Ok<BranchSettings>, ValidationProblem, ProblemHttpResult>> UpdateBranch(
        Guid branchId, BranchInput? input, HttpContext httpContext, IBranchConfiguration configuration, CancellationToken cancellationToken) =>
        Updated(
            input is null ? MissingBody<BranchSettings>() : await configuration.UpdateBranchAsync(httpContext.User, branchId, input, ClientAddress(httpContext), cancellationToken),
            "branch");

    private static async Task<Results<Created<ServiceSettings>, ValidationProblem, ProblemHttpResult>> CreateService(
        Guid branchId, ServiceInput? input, HttpContext httpContext, IBranchConfiguration configuration, CancellationToken cancellationToken) =>
        Created(
            input is null ? MissingBody<ServiceSettings>() : await configuration.CreateServiceAsync(httpContext.User, branchId, input, ClientAddress(httpContext), cancellationToken),
            s => $"/api/v1/configuration/services/{s.Id}",
            "branch");

    private static async Task<Results<Ok<ServiceSettings>, ValidationProblem, ProblemHttpResult>> UpdateService(
        Guid serviceId, ServiceInput? input, HttpContext httpContext, IBranchConfiguration configuration, CancellationToken cancellationToken) =>
        Updated(
            input is null ? MissingBody<ServiceSettings>() : await configuration.UpdateServiceAsync(httpContext.User, serviceId, input, ClientAddress(httpContext), cancellationToken),
            "service");

    private static async Task<Results<Created<CounterSettings>, ValidationProblem, ProblemHttpResult>> CreateCounter(
        Guid branchId, CounterInput? input, HttpContext httpContext, IBranchConfiguration configuration, CancellationToken cancellationToken) =>
        Created(
            input is null ? MissingBody<CounterSettings>() : await configuration.CreateCounterAsync(httpContext.User, branchId, input, ClientAddress(httpContext), cancellationToken),
            c => $"/api/v1/configuration/counters/{c.Id}",
            "branch");

    private static async Task<Results<Ok<CounterSettings>, ValidationProblem, ProblemHttpResult>> UpdateCounter(
        Guid counterId, CounterInput? input, HttpContext httpContext, IBranchConfiguration configuration, CancellationToken cancellationToken) =>
        Updated(
            input is null ? MissingBody<CounterSettings>() : await configuration.UpdateCounterAsync(httpContext.User, counterId, input, ClientAddress(httpContext), cancellationToken),
            "counter");

    private static ConfigurationResult<T> MissingBody<T>() =>
        ConfigurationResult<T>.Invalid(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] });

    private static Results<Created<T>, ValidationProblem, ProblemHttpResult> Created<T>(ConfigurationResult<T> result, Func<T, string> location, string what) =>
        result.Status switch
        {
            ConfigurationStatus.Ok => TypedResults.Created(location(result.Value!), result.Value),
            ConfigurationStatus.Invalid => TypedResults.ValidationProblem(result.Errors!, title: "The configuration is not valid; nothing was changed."),
            ConfigurationStatus.Unavailable => TypedResults.Problem(result.FirstError, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit unavailable."),
            _ => ApiResults.NotFound($"There is no such {what}."),
        };

    private static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Updated<T>(ConfigurationResult<T> result, string what) =>
        result.Status switch
        {
            ConfigurationStatus.Ok => TypedResults.Ok(result.Value!),
            ConfigurationStatus.Invalid => TypedResults.ValidationProblem(result.Errors!, title: "The configuration is not valid; nothing was changed."),
            ConfigurationStatus.Unavailable => TypedResults.Problem(result.FirstError, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit unavailable."),
            _ => ApiResults.NotFound($"There is no such {what}."),
        };
}
