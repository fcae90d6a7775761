namespace Guichet.Audit.Response;

/// <summary>Section <c>Audit:Alerts</c>: where alerts are sent besides the ledger and the auditors' view.</summary>
public sealed class AlertChannelOptions
{
    /// <summary>HTTPS endpoint that receives each alert as JSON (ids only, no personal data).</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Addresses that receive each alert by e-mail; needs <see cref="SmtpHost"/>.</summary>
    public IList<string> EmailTo { get; } = [];

    public string? EmailFrom { get; set; }

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    internal void Validate(List<string> failures)
    {
        if (WebhookUrl is not null && (!WebhookUrl.IsAbsoluteUri || WebhookUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("Audit:Alerts:WebhookUrl must be an absolute https:// URL.");
        }

        if (EmailTo.Count > 0 && (string.IsNullOrWhiteSpace(SmtpHost) || string.IsNullOrWhiteSpace(EmailFrom)))
        {
            failures.Add("Audit:Alerts:EmailTo needs Audit:Alerts:SmtpHost and Audit:Alerts:EmailFrom.");
        }

        if (SmtpPort is < 1 or > 65535)
        {
            failures.Add("Audit:Alerts:SmtpPort must be a TCP port.");
        }
    }
}
