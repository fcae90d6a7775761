using System.Threading.Channels;

namespace Guichet.Queueing.Live;

/// <summary>
/// Publishes queue changes to live subscribers (SSE streams). The default implementation is
/// in-process; a deployment with several instances replaces it with a fan-out (PostgreSQL
/// LISTEN/NOTIFY, Redis pub/sub) by registering its own implementation before AddQueueing.
/// </summary>
public interface IQueueEvents
{
    /// <summary>Called after a change is committed; never blocks on slow subscribers.</summary>
    void Publish(QueueChange change);

    /// <summary>Subscribes to one branch's changes from now on; dispose to unsubscribe.</summary>
    IQueueSubscription Subscribe(Guid branchId);
}

/// <summary>A live subscription to one branch's changes.</summary>
public interface IQueueSubscription : IDisposable
{
    ChannelReader<QueueChange> Changes { get; }
}
