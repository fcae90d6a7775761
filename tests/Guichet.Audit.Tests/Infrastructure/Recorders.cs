using System.Collections.Concurrent;
using System.Net;
using Guichet.Audit.Detection;
using Guichet.Audit.Response;
using Guichet.Privacy.Auditing;

namespace Guichet.Audit.Tests.Infrastructure;

public sealed class RecordingFreezer : IAccountFreezer
{
    public ConcurrentQueue<(string UserId, string Reason)> Frozen { get; } = new();

    public ConcurrentQueue<(string UserId, string By)> Unfrozen { get; } = new();

    public Task<bool> FreezeAsync(string userId, string reason, AuditActor actor, CancellationToken cancellationToken = default)
    {
        Frozen.Enqueue((userId, reason));
        return Task.FromResult(true);
    }

    public Task<bool> UnfreezeAsync(string userId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        Unfrozen.Enqueue((userId, actor.Id));
        return Task.FromResult(true);
    }
}

public sealed class RecordingChannel : IAlertChannel
{
    public ConcurrentQueue<AlertNotification> Sent { get; } = new();

    public string Name => "test";

    public Task SendAsync(AlertNotification alert, CancellationToken cancellationToken)
    {
        Sent.Enqueue(alert);
        return Task.CompletedTask;
    }
}

public sealed class FailingChannel : IAlertChannel
{
    public string Name => "failing";

    public Task SendAsync(AlertNotification alert, CancellationToken cancellationToken) => throw new HttpRequestException("channel down");
}

public sealed class RecordingMailer : IAlertMailer
{
    public ConcurrentQueue<(string From, IReadOnlyList<string> To, string Subject, string Body)> Sent { get; } = new();

    public Task SendAsync(string sender, IReadOnlyList<string> recipients, string subject, string body, CancellationToken cancellationToken)
    {
        Sent.Enqueue((sender, recipients, subject, body));
        return Task.CompletedTask;
    }
}

public sealed class RecordingHttpHandler : HttpMessageHandler
{
    public ConcurrentQueue<(Uri Uri, string Body)> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue((request.RequestUri!, await request.Content!.ReadAsStringAsync(cancellationToken)));
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }
}

public sealed class FixedBranchHours(string closedBranch) : IBranchHoursProvider
{
    public ValueTask<bool?> IsOpenAsync(string branchId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ValueTask.FromResult<bool?>(branchId == closedBranch ? false : true);
}
