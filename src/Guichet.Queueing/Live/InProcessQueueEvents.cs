using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Guichet.Queueing.Live;

/// <summary>Fans changes out to this process's subscribers. A slow subscriber loses its oldest changes, never blocks a writer.</summary>
internal sealed class InProcessQueueEvents : IQueueEvents
{
    private const int SubscriberBuffer = 256;
    private readonly ConcurrentDictionary<Subscription, Guid> subscribers = new();

    public void Publish(QueueChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        foreach (var (subscription, branchId) in subscribers)
        {
            if (branchId == change.BranchId)
            {
                subscription.Channel.Writer.TryWrite(change);
            }
        }
    }

    public IQueueSubscription Subscribe(Guid branchId)
    {
        var subscription = new Subscription(this);
        subscribers[subscription] = branchId;
        return subscription;
    }

    private sealed class Subscription(InProcessQueueEvents owner) : IQueueSubscription
    {
        public Channel<QueueChange> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<QueueChange>(
            new BoundedChannelOptions(SubscriberBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<QueueChange> Changes => Channel.Reader;

        public void Dispose()
        {
            owner.subscribers.TryRemove(this, out _);
            Channel.Writer.TryComplete();
        }
    }
}
