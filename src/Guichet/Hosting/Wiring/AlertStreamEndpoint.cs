using System.Text;
using System.Text.Json;
using Guichet.Audit.Response;
using Guichet.Identity.Access;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Guichet.Hosting.Wiring;

/// <summary>
/// <c>GET /audit/alerts/events</c>: alerts as they are raised, as Server-Sent Events, for the
/// security auditors' alerts page (js/audit-alerts.js). Ids and sequence numbers only.
/// </summary>
internal static class AlertStreamEndpoint
{
    public const string Path = "/audit/alerts/events";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapAlertStream(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, StreamAsync)
            .RequireAuthorization(Permissions.AuditAlertsManage)
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task StreamAsync(HttpContext context, IAlertFeed feed, IHostApplicationLifetime lifetime, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = ended.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await using var alerts = feed.SubscribeAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await WriteAsync(response, "retry: 3000\n\n", cancellationToken);
            var next = alerts.MoveNextAsync().AsTask();
            while (true)
            {
                if (await Task.WhenAny(next, Task.Delay(Heartbeat, cancellationToken)) != next)
                {
                    await WriteAsync(response, ": heartbeat\n\n", cancellationToken);
                    continue;
                }

                if (!await next)
                {
                    break;
                }

                var alert = alerts.Current;
                var data = JsonSerializer.Serialize(
                    new { alert.AlertId, alert.Rule, Severity = alert.Severity.ToString(), alert.ActorKind, alert.ActorId, alert.Evidence, alert.Response, alert.RaisedAt },
                    json.Value.SerializerOptions);
                await WriteAsync(response, $"event: alert\ndata: {data}\n\n", cancellationToken);
                next = alerts.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The auditor left or the host is stopping.
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
