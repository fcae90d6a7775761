using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Guichet.Queueing.Live;

/// <summary>Fans changes out to this process's subscribers, never waiting on one.</summary>
internal sealed class InProcessQueueEvents : IQueueEvents
{
    private readonly ConcurrentDictionary<Subscription, Guid> subscribers = new();

    public void Publish(QueueChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        foreach (var (subscription, branchId) in subscribers)
        {
            if (branchId == change.BranchId)
            {
                subscription.Inbox.TryWrite(change);
            }
        }
    }

    public IDisposable Subscribe(Guid branchId, ChannelWriter<QueueChange> inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var subscription = new Subscription(this, inbox);
        subscribers[subscription] = branchId;
        return subscription;
    }

    private sealed class Subscription(InProcessQueueEvents owner, ChannelWriter<QueueChange> inbox) : IDisposable
    {
        public ChannelWriter<QueueChange> Inbox => inbox;

        public void Dispose() => owner.subscribers.TryRemove(this, out _);
    }
}
