using Guichet.Audit.Detection;

namespace Guichet.Audit.Response;

/// <summary>One alert as it leaves the ledger: ids and sequence numbers only, no personal data.</summary>
public sealed record AlertNotification(
    Guid AlertId,
    string Rule,
    AlertSeverity Severity,
    string ActorKind,
    string ActorId,
    IReadOnlyList<long> Evidence,
    string Response,
    DateTimeOffset RaisedAt);

/// <summary>Somewhere alerts are sent (webhook, e-mail). A failing channel never stops the response.</summary>
public interface IAlertChannel
{
    string Name { get; }

    Task SendAsync(AlertNotification alert, CancellationToken cancellationToken);
}

/// <summary>Sends an e-mail; the default uses SMTP with TLS. Tests and hosts may replace it.</summary>
public interface IAlertMailer
{
    Task SendAsync(string sender, IReadOnlyList<string> recipients, string subject, string body, CancellationToken cancellationToken);
}
