using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Queueing;

/// <summary>
/// Whether a branch is open at a given moment, in the branch's own time zone and opening
/// hours. Other parts of the installation (the host's off-hours audit rule) ask through this
/// query so they need not know the queue's storage.
/// </summary>
public interface IBranchOpeningHours
{
    /// <param name="branchId">The branch id as the installation writes it (a GUID).</param>
    /// <param name="at">The moment to check.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>True when open, false when closed, null when there is no such branch.</returns>
    Task<bool?> IsOpenAsync(string branchId, DateTimeOffset at, CancellationToken cancellationToken);
}

internal sealed class BranchOpeningHours(QueueingDbContext db) : IBranchOpeningHours
{
    public async Task<bool?> IsOpenAsync(string branchId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(branchId, out var id))
        {
            return null;
        }

        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (branch is null)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(at, branch.TimeZone).DateTime;
        return branch.OpeningHours.IsOpen(local);
    }
}
