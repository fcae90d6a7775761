using Guichet.Privacy.Auditing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Guichet.Tests.Infrastructure;

/// <summary>Starts a test server whose clock is a <see cref="FakeTimeProvider"/>, with optional settings and a recording audit trail.</summary>
public static class FakeTimeServer
{
    public static async Task<(GuichetServer Server, FakeTimeProvider Time)> StartAsync(IDictionary<string, string?>? settings = null, RecordingAuditTrail? audit = null)
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var server = await GuichetServer.StartAsync(configure: builder =>
        {
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.Services.AddSingleton<TimeProvider>(time);
            if (audit is not null)
            {
                builder.Services.AddSingleton<IAuditTrail>(audit);
            }
        });
        return (server, time);
    }
}

/// <summary>An audit trail that keeps events in memory so tests can assert what was recorded.</summary>
public sealed class RecordingAuditTrail : IAuditTrail
{
    private readonly List<AuditEvent> events = [];
    private long sequence;

    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }

    public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        lock (events)
        {
            events.Add(auditEvent);
            return ValueTask.FromResult(++sequence);
        }
    }
}
