using System.Globalization;
using System.Net.Http.Json;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Guichet.Audit.Response;

/// <summary>POSTs each alert as JSON to <c>Audit:Alerts:WebhookUrl</c>, when set.</summary>
internal sealed class WebhookAlertChannel(IHttpClientFactory clients, IOptions<AuditOptions> options) : IAlertChannel
{
    public const string ClientName = "guichet-audit-webhook";

    public string Name => "webhook";

    public async Task SendAsync(AlertNotification alert, CancellationToken cancellationToken)
    {
        if (options.Value.Alerts.WebhookUrl is not { } url)
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(alert);
        using var client = clients.CreateClient(ClientName);
        // Severity by name: a receiver must not depend on the order of a C# enum.
        var payload = new WebhookPayload(alert.AlertId, alert.Rule, alert.Severity.ToString(), alert.ActorKind, alert.ActorId, alert.Evidence, alert.Response, alert.RaisedAt);
        using var response = await client.PostAsJsonAsync(url, payload, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>The webhook's JSON body: ids and ledger sequence numbers only.</summary>
internal sealed record WebhookPayload(Guid AlertId, string Rule, string Severity, string ActorKind, string ActorId, IReadOnlyList<long> Evidence, string Response, DateTimeOffset RaisedAt);

/// <summary>E-mails each alert to <c>Audit:Alerts:EmailTo</c>, when set.</summary>
internal sealed class EmailAlertChannel(IAlertMailer mailer, IOptions<AuditOptions> options) : IAlertChannel
{
    public string Name => "email";

    public async Task SendAsync(AlertNotification alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var settings = options.Value.Alerts;
        if (settings.EmailTo.Count == 0)
        {
            return;
        }

        var subject = string.Create(CultureInfo.InvariantCulture, $"[Guichet {alert.Severity}] {alert.Rule}: {alert.ActorKind} {alert.ActorId}");
        var body = string.Create(
            CultureInfo.InvariantCulture,
            $"Alert {alert.AlertId}\nRule: {alert.Rule}\nSeverity: {alert.Severity}\nActor: {alert.ActorKind} {alert.ActorId}\nResponse: {alert.Response}\nRaised at: {alert.RaisedAt:O}\nLedger entries: {string.Join(", ", alert.Evidence)}\n");
        await mailer.SendAsync(settings.EmailFrom!, [.. settings.EmailTo], subject, body, cancellationToken);
    }
}

internal sealed class SmtpAlertMailer(IOptions<AuditOptions> options) : IAlertMailer
{
    public async Task SendAsync(string sender, IReadOnlyList<string> recipients, string subject, string body, CancellationToken cancellationToken)
    {
        var settings = options.Value.Alerts;
        using var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort) { EnableSsl = true };
        using var message = new MailMessage { From = new MailAddress(sender), Subject = subject, Body = body };
        foreach (var address in recipients)
        {
            message.To.Add(address);
        }

        await client.SendMailAsync(message, cancellationToken);
    }
}
