using System.Globalization;
using Guichet.Audit.Detection;
using Guichet.Audit.Storage;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guichet.Audit.Response;

/// <summary>
/// Acts on a finding: freezes first (the account must stop at once), blocks the address,
/// stores the alert, records every step in the ledger, publishes it to watching auditors and
/// sends it to the configured channels.
/// </summary>
internal sealed partial class AlertResponder(
    AuditStore store,
    IServiceScopeFactory scopes,
    IServiceProvider services,
    ClientBlocklist blocklist,
    AlertFeed feed,
    TimeProvider time,
    ILogger<AlertResponder> logger)
{
    public async Task<Guid> RespondAsync(Finding finding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var now = time.GetUtcNow();
        var alertId = Guid.CreateVersion7(now);
        var trail = services.GetRequiredService<IAuditTrail>();
        var correlation = alertId.ToString("N");
        var response = "alert";
        if (finding.Freeze)
        {
            response = "freeze";
            await FreezeAsync(finding, alertId, now.UtcDateTime, cancellationToken);
        }

        if (finding.BlockAddress is { } address && blocklist.Block(address) is not null)
        {
            response = "block";
        }

        await using (var db = store.CreateContext())
        {
            db.Alerts.Add(new AlertRecord
            {
                Id = alertId,
                Rule = finding.Rule,
                Severity = finding.Severity.ToString(),
                ActorKind = finding.Actor.Kind.ToString(),
                ActorId = finding.Actor.Id,
                Evidence = string.Join(',', finding.Evidence.Select(s => s.ToString(CultureInfo.InvariantCulture))),
                Response = response,
                State = nameof(AlertState.Open),
                RaisedAt = now.UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        await trail.RecordAsync(new AuditEvent("alert.raise", AuditActor.System, AuditOutcome.Success, "alert", correlation, finding.Rule, CorrelationId: correlation), cancellationToken);
        if (finding.Freeze)
        {
            await trail.RecordAsync(new AuditEvent("account.freeze", AuditActor.System, AuditOutcome.Success, "actor", finding.Actor.Id, finding.Rule, CorrelationId: correlation), cancellationToken);
        }

        if (response == "block")
        {
            await trail.RecordAsync(new AuditEvent("client.block", AuditActor.System, AuditOutcome.Success, "client-address", finding.BlockAddress, finding.Rule, CorrelationId: correlation), cancellationToken);
        }

        var notification = new AlertNotification(alertId, finding.Rule, finding.Severity, finding.Actor.Kind.ToString(), finding.Actor.Id, finding.Evidence, response, now);
        feed.Publish(notification);
        foreach (var channel in services.GetServices<IAlertChannel>())
        {
            try
            {
                await channel.SendAsync(notification, cancellationToken);
            }
#pragma warning disable CA1031 // A channel that is down must not stop the response; the alert is stored and shown anyway.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogChannelFailed(logger, ex, channel.Name, alertId);
            }
        }

        return alertId;
    }

    private async Task FreezeAsync(Finding finding, Guid alertId, DateTime now, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var freezer = scope.ServiceProvider.GetRequiredService<IAccountFreezer>();
            await freezer.FreezeAsync(finding.Actor.Id, $"{finding.Rule} alert {alertId:N}", AuditActor.System, cancellationToken);
        }

        await using var db = store.CreateContext();
        db.Freezes.Add(new FreezeRecord
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            ActorKind = finding.Actor.Kind.ToString(),
            ActorId = finding.Actor.Id,
            AlertId = alertId,
            FrozenAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "Alert channel {Channel} could not deliver alert {AlertId}.")]
    private static partial void LogChannelFailed(ILogger logger, Exception exception, string channel, Guid alertId);
}
