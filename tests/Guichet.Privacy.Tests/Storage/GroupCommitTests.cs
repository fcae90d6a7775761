using System.Collections.Concurrent;
using Guichet.Privacy.Storage;

namespace Guichet.Privacy.Tests.Storage;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task Writes_queued_while_a_commit_is_in_flight_share_the_next_commit()
    {
        var batches = new ConcurrentQueue<int[]>();
        var firstCommitHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commits = new GroupCommit<int, string>(async (jobs, _) =>
        {
            batches.Enqueue([.. jobs]);
            if (batches.Count == 1)
            {
                firstCommitHeld.SetResult();
                await releaseFirst.Task;
            }

            return [.. jobs.Select(j => $"written {j}")];
        });

        var first = commits.SubmitAsync(0, CancellationToken.None);
        await firstCommitHeld.Task;
        var rest = Enumerable.Range(1, 20).Select(j => commits.SubmitAsync(j, CancellationToken.None)).ToList();
        releaseFirst.SetResult();

        Assert.Equal("written 0", await first);
        Assert.Equal(Enumerable.Range(1, 20).Select(j => $"written {j}"), await Task.WhenAll(rest));
        Assert.Equal([[0], [.. Enumerable.Range(1, 20)]], batches.ToArray());
    }

    [Fact]
    public async Task A_batch_that_fails_is_reported_and_retried_one_by_one_so_only_the_bad_write_fails()
    {
        var batchSizes = new ConcurrentQueue<int>();
        var reported = new ConcurrentQueue<(string Failure, int Count)>();
        var firstCommitHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commits = new GroupCommit<int, int>(async (jobs, _) =>
        {
            batchSizes.Enqueue(jobs.Count);
            if (batchSizes.Count == 1)
            {
                firstCommitHeld.SetResult();
                await releaseFirst.Task;
            }

            return jobs.Contains(13) ? throw new InvalidOperationException("constraint violated") : [.. jobs.Select(j => j * 2)];
        }, batchFailed: (failure, count) => reported.Enqueue((failure.Message, count)));

        var first = commits.SubmitAsync(1, CancellationToken.None);
        await firstCommitHeld.Task;
        var good = new[] { 2, 3, 4 }.Select(j => commits.SubmitAsync(j, CancellationToken.None)).ToList();
        var bad = commits.SubmitAsync(13, CancellationToken.None);
        releaseFirst.SetResult();

        Assert.Equal(2, await first);
        Assert.Equal(new[] { 4, 6, 8 }, await Task.WhenAll(good));
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("constraint violated", failure.Message);
        // One lone write, the failed batch of four, then each of the four alone.
        Assert.Equal([1, 4, 1, 1, 1, 1], batchSizes.ToArray());
        // The batch's failure is told once; the lone write failing again is its caller's answer.
        Assert.Equal([("constraint violated", 4)], reported.ToArray());
    }

    [Fact]
    public async Task A_caller_that_gives_up_before_its_turn_leaves_nothing_written()
    {
        var written = new ConcurrentQueue<int>();
        var firstCommitHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commits = new GroupCommit<int, int>(async (jobs, _) =>
        {
            foreach (var job in jobs)
            {
                written.Enqueue(job);
            }

            if (written.Count == 1)
            {
                firstCommitHeld.SetResult();
                await releaseFirst.Task;
            }

            return [.. jobs];
        });

        var first = commits.SubmitAsync(1, CancellationToken.None);
        await firstCommitHeld.Task;
        using var giveUp = new CancellationTokenSource();
        var abandoned = commits.SubmitAsync(2, giveUp.Token);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        var later = commits.SubmitAsync(3, CancellationToken.None);
        releaseFirst.SetResult();

        Assert.Equal(1, await first);
        Assert.Equal(3, await later);
        Assert.Equal([1, 3], written.ToArray());
    }

    [Fact]
    public async Task A_commit_that_answers_for_the_wrong_number_of_writes_fails_its_callers_instead_of_leaving_them_waiting()
    {
        var commits = new GroupCommit<int, int>((_, _) => Task.FromResult<IReadOnlyList<int>>([]));

        await Assert.ThrowsAsync<InvalidOperationException>(() => commits.SubmitAsync(1, CancellationToken.None));
    }
}
