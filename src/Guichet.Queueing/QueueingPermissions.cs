namespace Guichet.Queueing;

/// <summary>
/// Permissions the queue's staff endpoints require. Authorization policies carry these names;
/// the host's role → permission table grants them.
/// </summary>
public static class QueueingPermissions
{
    /// <summary>Operate a counter: see its waiting list, call, serve, transfer, pause.</summary>
    public const string OperateCounter = "queue.counter.operate";

    /// <summary>Configure the branches in one's scope: their settings, services and counters.</summary>
    public const string ManageBranch = "queue.branch.manage";

    /// <summary>Create a new branch (administrators; branch managers configure existing ones).</summary>
    public const string CreateBranch = "queue.branch.create";
}
