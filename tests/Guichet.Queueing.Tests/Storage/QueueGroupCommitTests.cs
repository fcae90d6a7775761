using Guichet.Privacy.Storage;
using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Guichet.Queueing.Tests.Storage;

public sealed class QueueGroupCommitTests
{
    [Fact]
    public async Task A_whole_batch_that_fails_is_logged_as_a_warning_without_the_failures_message()
    {
        await using var hall = await QueueHarness.StartAsync();
        var logger = new FakeLogger();
        var firstHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var commits = new QueueGroupCommit<int, int>(
            hall.Services.GetRequiredService<IServiceScopeFactory>(),
            hall.Services.GetRequiredService<QueueWriteGate>(),
            async (_, jobs, _) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    firstHeld.SetResult();
                    await releaseFirst.Task;
                }

                return jobs.Contains(13) ? throw new InvalidOperationException("value 13 refused") : [.. jobs];
            },
            maxBatch: 16,
            logger);

        var first = commits.SubmitAsync(1, CancellationToken.None);
        await firstHeld.Task;
        var good = commits.SubmitAsync(2, CancellationToken.None);
        var bad = commits.SubmitAsync(13, CancellationToken.None);
        releaseFirst.SetResult();

        Assert.Equal(1, await first);
        Assert.Equal(2, await good);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal(1301, warning.Id.Id);
        Assert.Equal("A batch of 2 Int32 writes failed with InvalidOperationException; each is retried on its own", warning.Message);
    }

    [Fact]
    public async Task Queue_writes_take_the_database_files_write_turn_that_the_ledger_takes_too()
    {
        await using var hall = await QueueHarness.StartAsync();
        var fileTurn = SqliteWriteTurn.For(hall.ConnectionString)!;
        var held = await fileTurn.EnterAsync(CancellationToken.None);

        var queueWrite = hall.Services.GetRequiredService<QueueWriteGate>().EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(queueWrite.IsCompleted);

        held.Dispose();
        (await queueWrite.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
