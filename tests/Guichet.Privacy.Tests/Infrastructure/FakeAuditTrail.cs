using Guichet.Privacy.Auditing;

namespace Guichet.Privacy.Tests.Infrastructure;

/// <summary>An audit trail that records in memory, or fails like an unavailable ledger.</summary>
internal sealed class FakeAuditTrail : IAuditTrail
{
    private readonly List<AuditEvent> _events = [];
    private long _sequence = 1000;

    public bool Fail { get; set; }

    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        if (Fail)
        {
            throw new AuditUnavailableException("The test ledger is down.");
        }

        lock (_events)
        {
            _events.Add(auditEvent);
            return ValueTask.FromResult(++_sequence);
        }
    }
}
