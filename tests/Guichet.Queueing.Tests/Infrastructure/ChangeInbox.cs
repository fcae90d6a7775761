using System.Threading.Channels;
using Guichet.Queueing.Live;

namespace Guichet.Queueing.Tests.Infrastructure;

/// <summary>A test's subscription to one branch's changes, kept in an unbounded inbox to read with TryRead.</summary>
internal sealed class ChangeInbox : IDisposable
{
    private readonly Channel<QueueChange> inbox = Channel.CreateUnbounded<QueueChange>();
    private readonly IDisposable subscription;

    public ChangeInbox(IQueueEvents events, Guid branchId)
    {
        ArgumentNullException.ThrowIfNull(events);
        subscription = events.Subscribe(branchId, inbox.Writer);
    }

    public ChannelReader<QueueChange> Changes => inbox.Reader;

    public void Dispose() => subscription.Dispose();
}
