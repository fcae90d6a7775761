using Guichet.Customers.Storage;

namespace Guichet.Customers.Directory;

/// <summary>
/// Creates customers that no legitimate work touches (honeytokens), encrypted exactly like real
/// ones. No per-customer ledger entry is written: the ledger must not tell decoys apart from
/// real customers; whoever plants them records the batch.
/// </summary>
public interface IDecoyCustomers
{
    /// <returns>The new customers' ids as they appear in audit events (resource type <c>customer</c>).</returns>
    Task<IReadOnlyList<string>> CreateAsync(IReadOnlyList<NewCustomer> decoys, CancellationToken cancellationToken);
}

internal sealed class DecoyCustomers(CustomersDbContext db, CustomerDirectory directory, TimeProvider time) : IDecoyCustomers
{
    public async Task<IReadOnlyList<string>> CreateAsync(IReadOnlyList<NewCustomer> decoys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decoys);
        var ids = new List<string>(decoys.Count);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var decoy in decoys)
        {
            var customer = await directory.ProtectNewAsync(decoy.BranchId, decoy, cancellationToken);
            // Registered some time in the past year, like the customers around them.
            var age = TimeSpan.FromMinutes(System.Security.Cryptography.RandomNumberGenerator.GetInt32(60, 365 * 24 * 60));
            customer.CreatedAt = customer.UpdatedAt = now - age;
            db.Customers.Add(customer);
            ids.Add(customer.Id.ToString());
        }

        await db.SaveChangesAsync(cancellationToken);
        return ids;
    }
}
