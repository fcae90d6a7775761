using Guichet.Queueing.Calling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guichet.Queueing.Api;

internal static class ApiResults
{
    public static Results<Ok<T>, ProblemHttpResult> From<T>(Outcome<T> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Kind switch
        {
            OutcomeKind.Ok => TypedResults.Ok(outcome.Value!),
            _ => Problem(outcome),
        };
    }

    public static ProblemHttpResult Problem<T>(Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => NotFound(outcome.Detail!),
        OutcomeKind.Conflict => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status409Conflict, title: "The queue is not in a state that allows this."),
        OutcomeKind.Unprocessable => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "No ticket can be issued now."),
        OutcomeKind.Unavailable => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit unavailable."),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static ProblemHttpResult TooManyRequests() =>
        TypedResults.Problem(
            "Too many tickets were requested from this address. Please wait a while before asking again.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.");
}
