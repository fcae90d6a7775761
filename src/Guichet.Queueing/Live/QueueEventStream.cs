using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Guichet.Queueing.Live;

/// <summary>
/// A Server-Sent Events response fed by a branch's queue changes: the stream renders an event
/// for the initial state and after each batch of changes, sends only what differs from the last
/// one it sent, and writes a heartbeat comment when idle. No polling anywhere.
/// </summary>
/// <param name="branchId">The branch to follow.</param>
/// <param name="eventName">SSE event name, e.g. <c>ticket</c>.</param>
/// <param name="render">Builds the events to send: called with null once at start, then with each change; returns nothing to skip.</param>
/// <param name="pacing">
/// Null to render every change (display boards, whose events are the changes themselves);
/// otherwise changes are gathered and rendered as <see cref="LivePacing"/> says, for streams
/// whose render reads the current state and does not look at the change.
/// </param>
internal sealed class QueueEventStream(
    Guid branchId,
    string eventName,
    Func<IServiceProvider, QueueChange?, CancellationToken, Task<IReadOnlyList<object>>> render,
    LivePacing? pacing = null) : IResult
{
    /// <summary>
    /// Reads what a stream needs before it starts (does the ticket, board or counter exist) in a
    /// scope of its own, released at once. An endpoint's own parameters live in the request's
    /// scope, which a stream keeps open for hours: a thousand open trackers would each hold a
    /// database context they no longer use.
    /// </summary>
    /// <typeparam name="TService">The scoped service that reads.</typeparam>
    /// <typeparam name="TResult">What it reads.</typeparam>
    /// <param name="scopes">Creates the short scope.</param>
    /// <param name="read">The read.</param>
    public static async Task<TResult> ReadFirstAsync<TService, TResult>(IServiceScopeFactory scopes, Func<TService, Task<TResult>> read)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(read);
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var services = httpContext.RequestServices;
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var heartbeat = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<QueueingOptions>>().Value.HeartbeatSeconds);
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        // End with the client, or when the host stops (graceful shutdown would otherwise wait
        // for every open display and tracker until its timeout).
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(
            httpContext.RequestAborted, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var cancellationToken = ended.Token;

        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var subscription = services.GetRequiredService<IQueueEvents>().Subscribe(branchId);
        string? last = null;
        try
        {
            await WriteAsync(response, "retry: 3000\n\n", cancellationToken);
            last = await SendAsync(null, last);
            var reader = subscription.Changes;
            // Pacing is about server load, not the hall's clock: real elapsed time.
            var lastRender = Stopwatch.GetTimestamp();
            QueueChange? deferred = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                var wait = deferred is null ? heartbeat : pacing!.OthersAtMostEvery - Stopwatch.GetElapsedTime(lastRender);
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
                bool open;
                try
                {
                    open = await reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (deferred is not null)
                    {
                        last = await SendAsync(deferred, last);
                        (deferred, lastRender) = (null, Stopwatch.GetTimestamp());
                    }
                    else
                    {
                        await WriteAsync(response, ": heartbeat\n\n", cancellationToken);
                    }

                    continue;
                }

                if (!open)
                {
                    break;
                }

                if (pacing is null)
                {
                    while (reader.TryRead(out var change))
                    {
                        last = await SendAsync(change, last);
                    }

                    continue;
                }

                var own = false;
                while (reader.TryRead(out var change))
                {
                    own |= pacing.IsOwn(change);
                    deferred = change;
                }

                if (deferred is not null && (own || Stopwatch.GetElapsedTime(lastRender) >= pacing.OthersAtMostEvery))
                {
                    last = await SendAsync(deferred, last);
                    (deferred, lastRender) = (null, Stopwatch.GetTimestamp());
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nothing to finish.
        }

        async Task<string?> SendAsync(QueueChange? change, string? previous)
        {
            IReadOnlyList<object> items;
            await using (var scope = scopes.CreateAsyncScope())
            {
                items = await render(scope.ServiceProvider, change, cancellationToken);
            }

            foreach (var item in items)
            {
                var data = JsonSerializer.Serialize(item, item.GetType(), json);
                if (data == previous)
                {
                    continue;
                }

                await WriteAsync(response, $"event: {eventName}\ndata: {data}\n\n", cancellationToken);
                previous = data;
            }

            return previous;
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
