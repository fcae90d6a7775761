namespace Guichet.Privacy.Storage;

/// <summary>
/// Group commit for one writer: callers submit a job and wait; whoever holds the writer's turn
/// takes every job queued so far (up to <paramref name="maxBatch"/>) and writes them in one
/// transaction with one fsync, then completes each caller. While one batch is being made
/// durable the next one gathers, so under load the cost of a durable commit is shared by many
/// writes and at rest a lone write goes through at once: there is no timer and no waiting
/// for a batch to fill. When a batch is durable its callers are answered at once and the
/// writer's turn passes to the oldest caller still waiting: one hand-over per batch, where a
/// lock taken in turn by every caller made a batch of a hundred wait for a hundred hand-overs
/// before the next batch could start.
/// </summary>
/// <remarks>
/// A batch whose commit throws is retried one job at a time, so one job that cannot be
/// written (a constraint another process raced for) fails only its own caller. A caller that
/// gives up before its job is taken leaves nothing behind; once taken, the job is written
/// and the caller's cancellation is not honoured half-way.
/// </remarks>
/// <typeparam name="TJob">What a caller asks to write.</typeparam>
/// <typeparam name="TResult">What the caller gets back once it is durable.</typeparam>
/// <param name="commit">Writes the jobs in one transaction and returns one result per job, in order.</param>
/// <param name="maxBatch">The most jobs in one transaction.</param>
/// <param name="batchFailed">
/// Told when a batch of several jobs threw and is about to be retried job by job, with the
/// failure and the batch's size: an occasional one is a race; one on every batch is a fault
/// the retries would otherwise hide (every write would still succeed, one fsync each).
/// </param>
public sealed class GroupCommit<TJob, TResult>(
    Func<IReadOnlyList<TJob>, CancellationToken, Task<IReadOnlyList<TResult>>> commit, int maxBatch = 256,
    Action<Exception, int>? batchFailed = null)
{
    private readonly Lock sync = new();
    private readonly List<Pending> queued = [];
    private bool writing;

    /// <summary>Writes the job together with whatever else is queued, and returns once it is durable.</summary>
    public async Task<TResult> SubmitAsync(TJob job, CancellationToken cancellationToken)
    {
        var pending = new Pending(job);
        bool writer;
        lock (sync)
        {
            queued.Add(pending);
            writer = !writing;
            writing = true;
        }

        if (!writer)
        {
            // Wait until the writer has written this job, or hands its turn to it. A caller
            // whose job was written returns at once: it never queues for the turn itself.
            try
            {
                await Task.WhenAny(pending.Completion.Task, pending.Turn.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (sync)
                {
                    if (queued.Remove(pending))
                    {
                        if (pending.Turn.Task.IsCompleted)
                        {
                            PassTurn();
                        }

                        throw;
                    }
                }

                // A writer already took the job: it will be written, so report how it went.
                return await pending.Completion.Task.ConfigureAwait(false);
            }
        }

        if (!pending.Completion.Task.IsCompleted)
        {
            try
            {
                while (!pending.Completion.Task.IsCompleted)
                {
                    await WriteNextBatchAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                lock (sync)
                {
                    PassTurn();
                }
            }
        }

        return await pending.Completion.Task.ConfigureAwait(false);
    }

    // Holding sync: the oldest job still queued becomes the writer; with none, nobody writes
    // until the next caller arrives.
    private void PassTurn()
    {
        if (queued.Count > 0)
        {
            queued[0].Turn.TrySetResult();
        }
        else
        {
            writing = false;
        }
    }

    private async Task WriteNextBatchAsync()
    {
        List<Pending> batch;
        lock (sync)
        {
            var count = Math.Min(queued.Count, maxBatch);
            batch = queued.GetRange(0, count);
            queued.RemoveRange(0, count);
        }

        if (batch.Count == 0)
        {
            return;
        }

        IReadOnlyList<TResult> results;
        try
        {
            results = await commit([.. batch.Select(p => p.Job)], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure) when (batch.Count > 1)
        {
            batchFailed?.Invoke(failure, batch.Count);
            foreach (var one in batch)
            {
                await WriteAloneAsync(one).ConfigureAwait(false);
            }

            return;
        }
        catch (Exception failure)
        {
            batch[0].Completion.TrySetException(failure);
            return;
        }

        Complete(batch, results);
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        IReadOnlyList<TResult> results;
        try
        {
            results = await commit([pending.Job], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            pending.Completion.TrySetException(failure);
            return;
        }

        Complete([pending], results);
    }

    // Never throws: every job taken from the queue ends completed, one way or the other.
    private static void Complete(List<Pending> batch, IReadOnlyList<TResult> results)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (results.Count == batch.Count)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
            else
            {
                batch[i].Completion.TrySetException(new InvalidOperationException(
                    $"A group commit returned {results.Count} results for {batch.Count} jobs."));
            }
        }
    }

    private sealed class Pending(TJob job)
    {
        public TJob Job { get; } = job;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when the writer's turn passes to this job's caller.</summary>
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
