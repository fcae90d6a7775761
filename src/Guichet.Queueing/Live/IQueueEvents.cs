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

    /// <summary>
    /// Delivers one branch's changes from now on into <paramref name="inbox"/>; dispose the
    /// result to stop. The inbox is the subscriber's: a publisher only ever tries to write to it,
    /// so the inbox's capacity and full mode decide what a slow subscriber loses, and the
    /// subscriber may write to it as well (a live stream wakes itself up that way).
    /// </summary>
    /// <param name="branchId">The branch to follow.</param>
    /// <param name="inbox">Where the changes go.</param>
    IDisposable Subscribe(Guid branchId, ChannelWriter<QueueChange> inbox);
}
