using Guichet.Customers.Directory;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Indexing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Customers.Api;

/// <summary>Body of a reveal: which field, and why.</summary>
internal sealed record RevealBody(string? Field, string? Purpose);

/// <summary>Body of a registration (see <see cref="NewCustomer"/>).</summary>
internal sealed record CreateBody(string? BranchId, string? Name, string? Phone, string? IdNumber, string? Note);

/// <summary>
/// <c>/api/v1/customers</c>: staff find customers by phone (POST, so numbers stay out of URLs
/// and logs), see masks, reveal one field with a purpose after a recent step-up, and privacy
/// officers erase. Scoped by the caller's branches; out-of-scope ids answer 404.
/// </summary>
internal static class CustomersApi
{
    public static void Map(RouteGroupBuilder api, string stepUpPolicy)
    {
        var group = api.MapGroup("/customers").WithTags("Customers")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        // On the parent group, so the route is /api/v1/customers without a trailing slash.
        api.MapPost("/customers", Create).WithTags("Customers").WithName("CreateCustomer").RequireAuthorization(CustomersPermissions.Edit)
            .WithSummary("Registers a customer; every field is encrypted under the customer's own key. Answers the masked record.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/search", Search).WithName("SearchCustomers").RequireAuthorization(CustomersPermissions.Lookup)
            .WithSummary("Finds customers by full phone, last four digits or ID number through blind indexes; masked records only; each one returned is recorded as looked up.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", Get).WithName("GetCustomer").RequireAuthorization(CustomersPermissions.Lookup)
            .WithSummary("One customer, masked.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", Update).WithName("UpdateCustomer").RequireAuthorization(CustomersPermissions.Edit)
            .WithSummary("Changes fields: a missing field is kept, an empty ID number or note is removed.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/reveal", Reveal).WithName("RevealCustomerField").RequireAuthorization(CustomersPermissions.Reveal, stepUpPolicy)
            .WithSummary("One full field (name, phone, idNumber, note) with a stated purpose; recorded in the ledger before it is returned. Needs a recent step-up.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        group.MapDelete("/{id:guid}", Erase).WithName("EraseCustomer").RequireAuthorization(CustomersPermissions.Erase, stepUpPolicy)
            .WithSummary("Erases the customer: their key is destroyed, so every copy of their data (backups included) becomes unreadable.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static Caller CallerOf(HttpContext context) =>
        Caller.FromPrincipal(context.User, context.Connection.RemoteIpAddress?.ToString(), context.TraceIdentifier);

    private static async Task<Results<Created<CustomerView>, ValidationProblem, ProblemHttpResult>> Create(
        CreateBody body, HttpContext context, CustomerDirectory directory, CancellationToken cancellationToken)
    {
        try
        {
            var view = await directory.CreateAsync(CallerOf(context), new NewCustomer(body.BranchId ?? "", body.Name ?? "", body.Phone ?? "", body.IdNumber, body.Note), cancellationToken);
            return view is null
                ? NotFound("There is no such branch in your scope.")
                : TypedResults.Created($"/api/v1/customers/{view.Id}", view);
        }
        catch (InvalidPersonalDataException ex)
        {
            return Invalid(ex);
        }
        catch (AuditUnavailableException)
        {
            return AuditUnavailable();
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<CustomerView>>, ValidationProblem, ProblemHttpResult>> Search(
        CustomerSearch body, HttpContext context, CustomerDirectory directory, CancellationToken cancellationToken)
    {
        try
        {
            NoStore(context);
            return TypedResults.Ok(await directory.SearchAsync(CallerOf(context), body, cancellationToken));
        }
        catch (InvalidPersonalDataException ex)
        {
            return Invalid(ex);
        }
        catch (AuditUnavailableException)
        {
            return AuditUnavailable();
        }
    }

    private static async Task<Results<Ok<CustomerView>, ProblemHttpResult>> Get(Guid id, HttpContext context, CustomerDirectory directory, CancellationToken cancellationToken)
    {
        try
        {
            NoStore(context);
            return await directory.GetAsync(CallerOf(context), id, cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound("There is no such customer.");
        }
        catch (AuditUnavailableException)
        {
            return AuditUnavailable();
        }
    }

    private static async Task<Results<Ok<CustomerView>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, CustomerChanges body, HttpContext context, CustomerDirectory directory, CancellationToken cancellationToken)
    {
        try
        {
            return await directory.UpdateAsync(CallerOf(context), id, body, cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound("There is no such customer.");
        }
        catch (InvalidPersonalDataException ex)
        {
            return Invalid(ex);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem("Someone else changed this customer meanwhile. Load it again and repeat the change.", statusCode: StatusCodes.Status409Conflict, title: "Conflicting change.");
        }
        catch (AuditUnavailableException)
        {
            return AuditUnavailable();
        }
    }

    private static async Task<Results<Ok<RevealedField>, ValidationProblem, ProblemHttpResult>> Reveal(
        Guid id, RevealBody body, HttpContext context, CustomerDirectory directory, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Field) || !CustomerFields.All.Contains(body.Field))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["field"] = [$"Name the field to reveal: {string.Join(", ", CustomerFields.All)}."] });
        }

        NoStore(context);
        var outcome = await directory.RevealAsync(CallerOf(context), id, body.Field, body.Purpose ?? "", cancellationToken);
        return outcome.Kind switch
        {
            RevealOutcomeKind.Revealed => TypedResults.Ok(outcome.Value!),
            RevealOutcomeKind.NotFound => NotFound("There is no such customer."),
            RevealOutcomeKind.NoSuchField => NotFound("This customer has no value in that field."),
            RevealOutcomeKind.PurposeRequired => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["purpose"] = ["State the purpose of the reveal (at most 500 characters)."] }),
            RevealOutcomeKind.Denied => TypedResults.Problem("Your role may not reveal this field.", statusCode: StatusCodes.Status403Forbidden, title: "Not allowed."),
            RevealOutcomeKind.AuditUnavailable => AuditUnavailable(),
            RevealOutcomeKind.Erased => TypedResults.Problem("The customer was erased; their data can no longer be read.", statusCode: StatusCodes.Status410Gone, title: "Erased."),
            _ => TypedResults.Problem("The stored value failed its integrity check and cannot be shown. The event was logged.", statusCode: StatusCodes.Status409Conflict, title: "Unreadable value."),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Erase(Guid id, HttpContext context, CustomerDirectory directory, CancellationToken cancellationToken)
    {
        try
        {
            return await directory.EraseAsync(CallerOf(context), id, cancellationToken) ? TypedResults.NoContent() : NotFound("There is no such customer.");
        }
        catch (AuditUnavailableException)
        {
            return AuditUnavailable();
        }
    }

    // Masks and revealed values are personal data: no cache (browser or proxy) keeps them.
    private static void NoStore(HttpContext context) => context.Response.Headers.CacheControl = "no-store";

    private static ValidationProblem Invalid(InvalidPersonalDataException ex) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [FieldName(ex.Category)] = [ex.Message] }, title: "The customer data is not valid.");

    private static string FieldName(PersonalDataCategory category) => category switch
    {
        PersonalDataCategory.Name => CustomerFields.Name,
        PersonalDataCategory.Phone => CustomerFields.Phone,
        PersonalDataCategory.NationalId => CustomerFields.IdNumber,
        PersonalDataCategory.FreeText => CustomerFields.Note,
        _ => "request",
    };

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    private static ProblemHttpResult AuditUnavailable() =>
        TypedResults.Problem("The audit ledger could not record this access, so nothing was done or shown. Try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit unavailable.");
}
