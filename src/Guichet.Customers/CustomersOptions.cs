using Microsoft.Extensions.Options;

namespace Guichet.Customers;

/// <summary>Settings of the <c>Customers</c> configuration section.</summary>
public sealed class CustomersOptions
{
    public const string Section = "Customers";

    /// <summary>
    /// At most this many customers answer one search (a last-four search can match many): every
    /// one returned is decrypted for its mask and recorded in the ledger.
    /// </summary>
    public int MaxSearchResults { get; set; } = 20;
}

internal sealed class CustomersOptionsValidator : IValidateOptions<CustomersOptions>
{
    public ValidateOptionsResult Validate(string? name, CustomersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxSearchResults is < 1 or > 200
            ? ValidateOptionsResult.Fail("Customers:MaxSearchResults must be between 1 and 200.")
            : ValidateOptionsResult.Success;
    }
}
