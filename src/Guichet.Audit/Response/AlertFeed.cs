using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Guichet.Audit.Response;

/// <summary>Alerts as they are raised, for the security auditors' live view.</summary>
public interface IAlertFeed
{
    IAsyncEnumerable<AlertNotification> SubscribeAsync(CancellationToken cancellationToken);
}

internal sealed class AlertFeed : IAlertFeed
{
    private readonly ConcurrentDictionary<Guid, Channel<AlertNotification>> subscribers = new();

    public void Publish(AlertNotification alert)
    {
        foreach (var subscriber in subscribers.Values)
        {
            subscriber.Writer.TryWrite(alert);
        }
    }

    public async IAsyncEnumerable<AlertNotification> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        // A slow viewer loses the oldest alerts on screen, never slows the response down.
        var channel = Channel.CreateBounded<AlertNotification>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        subscribers[id] = channel;
        try
        {
            await foreach (var alert in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return alert;
            }
        }
        finally
        {
            subscribers.TryRemove(id, out _);
        }
    }
}
