using System.Collections.Concurrent;
using Guichet.Privacy.Auditing;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Calling;

public sealed class AuditHookTests
{
    [Fact]
    public async Task Staff_actions_are_written_to_a_registered_audit_trail_with_ids_only()
    {
        var trail = new RecordingTrail();
        await using var hall = await QueueHarness.StartAsync(configure: s => s.AddSingleton<IAuditTrail>(trail));
        var layout = await hall.SeedHallAsync();
        var issued = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        await hall.CallNextAsync(layout.CounterA);
        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.StartAsync(a, id, CancellationToken.None));

        Assert.Equal(["queue.ticket.call", "queue.ticket.start"], trail.Events.Select(e => e.Action));
        Assert.All(trail.Events, e =>
        {
            Assert.Equal(issued.TicketId.ToString(), e.ResourceId);
            Assert.Equal(new AuditActor(AuditActorKind.Staff, "staff-test-1"), e.Actor);
            Assert.Equal(layout.BranchId.ToString(), e.BranchId);
        });
    }

    private sealed class RecordingTrail : IAuditTrail
    {
        public ConcurrentQueue<AuditEvent> Events { get; } = new();

        public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
        {
            Events.Enqueue(auditEvent);
            return ValueTask.FromResult((long)Events.Count);
        }
    }
}
