using System.Security.Claims;

namespace Guichet.Queueing.Configuration;

/// <summary>
/// Configures branches, their services and counters, for the configuration API and the admin
/// pages. Every call is scoped by the caller's <c>guichet:branch</c> claims inside the query
/// (another branch's records are not found); every change is one transaction, audited and
/// published to the branch's live screens; invalid input changes nothing. Concurrent edits:
/// the last write wins.
/// </summary>
public interface IBranchConfiguration
{
    Task<IReadOnlyList<BranchSettings>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken);

    Task<BranchSettings?> GetAsync(ClaimsPrincipal user, Guid branchId, CancellationToken cancellationToken);

    /// <summary>Creates a branch; the caller must hold <see cref="QueueingPermissions.CreateBranch"/> (checked by the endpoint or page).</summary>
    Task<ConfigurationResult<BranchSettings>> CreateBranchAsync(ClaimsPrincipal user, BranchInput input, string? clientAddress, CancellationToken cancellationToken);

    Task<ConfigurationResult<BranchSettings>> UpdateBranchAsync(ClaimsPrincipal user, Guid branchId, BranchInput input, string? clientAddress, CancellationToken cancellationToken);

    Task<ConfigurationResult<ServiceSettings>> CreateServiceAsync(ClaimsPrincipal user, Guid branchId, ServiceInput input, string? clientAddress, CancellationToken cancellationToken);

    Task<ConfigurationResult<ServiceSettings>> UpdateServiceAsync(ClaimsPrincipal user, Guid serviceId, ServiceInput input, string? clientAddress, CancellationToken cancellationToken);

    Task<ConfigurationResult<CounterSettings>> CreateCounterAsync(ClaimsPrincipal user, Guid branchId, CounterInput input, string? clientAddress, CancellationToken cancellationToken);

    Task<ConfigurationResult<CounterSettings>> UpdateCounterAsync(ClaimsPrincipal user, Guid counterId, CounterInput input, string? clientAddress, CancellationToken cancellationToken);
}
