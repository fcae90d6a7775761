using Guichet.Privacy.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guichet.Queueing.Storage;

/// <summary>
/// Group commit for a kind of queue write: each batch gets its own context, holds the queue's
/// write gate and runs in one transaction, committed once for every job in it.
/// </summary>
/// <param name="scopes">Gives each batch its own context.</param>
/// <param name="gate">The queue's single-writer gate on SQLite.</param>
/// <param name="write">Does the batch's jobs in order on the context and returns one result per job; the transaction is committed after it.</param>
/// <param name="maxBatch">The most jobs in one transaction.</param>
/// <param name="logger">Warned when a whole batch fails and is retried job by job.</param>
internal sealed partial class QueueGroupCommit<TJob, TResult>(
    IServiceScopeFactory scopes,
    QueueWriteGate gate,
    Func<QueueingDbContext, IReadOnlyList<TJob>, CancellationToken, Task<IReadOnlyList<TResult>>> write,
    int maxBatch,
    ILogger logger)
{
    private readonly GroupCommit<TJob, TResult> commits = new(async (jobs, cancellationToken) =>
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QueueingDbContext>();
        // A failed batch is retried job by job, so a SaveChanges inside it needs no savepoint.
        db.Database.AutoSavepointsEnabled = false;
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var results = await write(db, jobs, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return results;
        }
    }, maxBatch, (failure, count) => LogBatchFailed(logger, count, typeof(TJob).Name, failure.GetType().Name));

    /// <summary>Writes the job with whatever else is queued and returns once it is durable.</summary>
    public Task<TResult> SubmitAsync(TJob job, CancellationToken cancellationToken) => commits.SubmitAsync(job, cancellationToken);

    // The exception's type only: a database's message can quote the values it refused.
    [LoggerMessage(1301, LogLevel.Warning, "A batch of {Count} {JobKind} writes failed with {FailureType}; each is retried on its own")]
    private static partial void LogBatchFailed(ILogger logger, int count, string jobKind, string failureType);
}
