using Guichet.Audit.Detection;
using Guichet.Queueing;

namespace Guichet.Hosting.Wiring;

/// <summary>The audit module's off-hours rule reads the queue's opening hours (each call in its own scope: the rule runs on a singleton).</summary>
internal sealed class QueueBranchHours(IServiceScopeFactory scopes) : IBranchHoursProvider
{
    public async ValueTask<bool?> IsOpenAsync(string branchId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IBranchOpeningHours>().IsOpenAsync(branchId, at, cancellationToken);
    }
}
