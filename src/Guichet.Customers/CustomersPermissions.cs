namespace Guichet.Customers;

/// <summary>
/// Permissions the customer endpoints require. Authorization policies carry these names; the
/// host's role → permission table grants them.
/// </summary>
public static class CustomersPermissions
{
    /// <summary>Find customers by phone or ID number and see their masked record.</summary>
    public const string Lookup = "customer.lookup";

    /// <summary>Register a customer and change their record.</summary>
    public const string Edit = "customer.edit";

    /// <summary>See one full field, with a stated purpose (also needs a recent step-up).</summary>
    public const string Reveal = "customer.reveal";

    /// <summary>Erase a customer: their key is destroyed (crypto-shredding).</summary>
    public const string Erase = "customer.erase";
}
