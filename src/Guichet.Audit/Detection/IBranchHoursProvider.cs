namespace Guichet.Audit.Detection;

/// <summary>
/// Tells the off-hours rule whether a branch is open. The host implements it from the queue
/// module's opening hours; without one, the rule stays silent.
/// </summary>
public interface IBranchHoursProvider
{
    /// <returns>True when open, false when closed, null when the branch or its hours are unknown.</returns>
    ValueTask<bool?> IsOpenAsync(string branchId, DateTimeOffset at, CancellationToken cancellationToken);
}

internal sealed class UnknownBranchHours : IBranchHoursProvider
{
    public ValueTask<bool?> IsOpenAsync(string branchId, DateTimeOffset at, CancellationToken cancellationToken) => ValueTask.FromResult<bool?>(null);
}
