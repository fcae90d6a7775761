using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
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
    /// <summary>Changes a stream holds before it loses its oldest: a slow client never slows a writer.</summary>
    private const int InboxCapacity = 256;

    private static readonly TimeSpan MinimumAlarm = TimeSpan.FromMilliseconds(1);

    /// <summary>What the alarm puts in the inbox: not a change, only a reason to look at the clock.</summary>
    private static readonly QueueChange WakeUp = new(Guid.Empty);

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

        // One inbox, one alarm and one hang-up registration per stream, made here once: waiting
        // for the next change then allocates nothing, which counts when every call in the hall
        // wakes a thousand screens. The alarm (heartbeat, or the end of a pacing interval) and the
        // client going away both end a wait through the inbox, not through a cancellable wait.
        var inbox = Channel.CreateBounded<QueueChange>(
            new BoundedChannelOptions(InboxCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var subscription = services.GetRequiredService<IQueueEvents>().Subscribe(branchId, inbox.Writer);
        using var hangUp = cancellationToken.UnsafeRegister(static writer => ((ChannelWriter<QueueChange>)writer!).TryComplete(), inbox.Writer);
        using var alarm = new Timer(static writer => ((ChannelWriter<QueueChange>)writer!).TryWrite(WakeUp), inbox.Writer, Timeout.Infinite, Timeout.Infinite);
        var reader = inbox.Reader;
        string? last = null;
        // Pacing and heartbeats are about server load and proxies, not the hall's clock: real elapsed time.
        var lastWrite = Stopwatch.GetTimestamp();
        try
        {
            await WriteAsync("retry: 3000\n\n");
            last = await SendAsync(null, last);
            var lastRender = Stopwatch.GetTimestamp();
            QueueChange? deferred = null;
            alarm.Change(heartbeat, Timeout.InfiniteTimeSpan);
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                var own = false;
                while (reader.TryRead(out var change))
                {
                    if (ReferenceEquals(change, WakeUp))
                    {
                        continue;
                    }

                    if (pacing is null)
                    {
                        last = await SendAsync(change, last);
                    }
                    else
                    {
                        own |= pacing.IsOwn(change);
                        deferred = change;
                    }
                }

                if (deferred is not null && (own || Stopwatch.GetElapsedTime(lastRender) >= pacing!.OthersAtMostEvery))
                {
                    last = await SendAsync(deferred, last);
                    (deferred, lastRender) = (null, Stopwatch.GetTimestamp());
                }
                else if (Stopwatch.GetElapsedTime(lastWrite) >= heartbeat)
                {
                    await WriteAsync(": heartbeat\n\n");
                }

                // A wake-up that raced with a change finds nothing due and only sets the alarm again.
                var due = deferred is null
                    ? heartbeat - Stopwatch.GetElapsedTime(lastWrite)
                    : pacing!.OthersAtMostEvery - Stopwatch.GetElapsedTime(lastRender);
                alarm.Change(due > MinimumAlarm ? due : MinimumAlarm, Timeout.InfiniteTimeSpan);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nothing to finish.
        }

        async Task WriteAsync(string text)
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            lastWrite = Stopwatch.GetTimestamp();
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

                await WriteAsync($"event: {eventName}\ndata: {data}\n\n");
                previous = data;
            }

            return previous;
        }
    }
}
