using System.Text.Json.Serialization;
using Guichet.Privacy.Protection;

namespace Guichet.Customers.Directory;

/// <summary>A field as staff see it: its mask, or why there is none (hidden by policy, erased, unreadable).</summary>
internal sealed record ShownField(
    [property: JsonConverter(typeof(JsonStringEnumConverter<FieldView>))] FieldView View,
    string? Text)
{
    public static ShownField From(MaskedField masked) => new(masked.View, masked.Text);
}

/// <summary>A customer as staff see them: masks only, computed now and never stored.</summary>
internal sealed record CustomerView(
    Guid Id,
    string BranchId,
    ShownField Name,
    ShownField Phone,
    ShownField? IdNumber,
    ShownField? Note,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>A revealed field: the full value and the ledger entry that recorded the reveal.</summary>
internal sealed record RevealedField(Guid CustomerId, string Field, string Value, long AuditSequence);

/// <summary>What a new customer gives (plain values; the directory protects them at once).</summary>
public sealed record NewCustomer(string BranchId, string Name, string Phone, string? IdNumber = null, string? Note = null);

/// <summary>A change to a customer's record: null leaves a field as it is, an empty string removes an optional one.</summary>
internal sealed record CustomerChanges(string? Name, string? Phone, string? IdNumber, string? Note);

/// <summary>How staff search: exactly one of full phone, last four digits of the phone, or ID number.</summary>
internal sealed record CustomerSearch(string? Phone, string? LastFour, string? IdNumber);

/// <summary>The fields staff may reveal, as named in the API.</summary>
internal static class CustomerFields
{
    public const string Name = "name";
    public const string Phone = "phone";
    public const string IdNumber = "idNumber";
    public const string Note = "note";

    public static IReadOnlyList<string> All { get; } = [Name, Phone, IdNumber, Note];
}

/// <summary>Branch values with a meaning of their own.</summary>
public static class CustomerBranches
{
    /// <summary>A customer every branch may find (honeytokens, central registrations); only callers with every branch in scope register one.</summary>
    public const string Shared = Domain.Customer.SharedBranch;
}
