using System.Collections.Concurrent;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Tests.Infrastructure;

namespace Guichet.Queueing.Tests.Calling;

public sealed class CallNextConcurrencyTests
{
    private const int Tickets = 60;

    [Fact]
    public async Task Counters_calling_at_the_same_instant_in_one_process_never_get_the_same_ticket()
    {
        await using var hall = await QueueHarness.StartAsync();
        var layout = await hall.SeedHallAsync();

        var called = await RaceAsync([hall], layout);

        AssertEveryTicketCalledOnce(called);
    }

    [Fact]
    public async Task Two_instances_over_one_sqlite_file_never_call_the_same_ticket()
    {
        await using var first = await QueueHarness.StartAsync();
        await using var second = await first.StartSiblingAsync();
        var layout = await first.SeedHallAsync();

        var called = await RaceAsync([first, second], layout);

        AssertEveryTicketCalledOnce(called);
    }

    internal static async Task<ConcurrentBag<Guid>> RaceAsync(IReadOnlyList<QueueHarness> instances, HallLayout layout)
    {
        for (var i = 0; i < Tickets; i++)
        {
            await instances[0].IssueOkAsync(layout.BranchId, layout.ServiceA);
        }

        // Counters 1 and 2 both serve A; every worker calls, completes its call by no-show, and
        // calls again until nobody is left. Several workers share a counter to race on it too.
        Guid[] counters = [layout.CounterAb, layout.CounterA];
        var called = new ConcurrentBag<Guid>();
        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var hall = instances[worker % instances.Count];
            var counter = counters[worker % counters.Length];
            start.Wait();
            for (var idle = 0; idle < 3;)
            {
                var outcome = await hall.CallNextAsync(counter);
                if (outcome.Kind == OutcomeKind.Ok && outcome.Value!.CurrentTicket is { } current)
                {
                    called.Add(current.TicketId);
                    await hall.AtCounterAsync(counter, (d, a, id) => d.NoShowAsync(a, id, CancellationToken.None));
                    idle = 0;
                }
                else if (outcome.Detail?.Contains("Nobody is waiting", StringComparison.Ordinal) == true)
                {
                    idle++;
                }
            }
        })).ToList();
        start.Set();
        await Task.WhenAll(workers);
        return called;
    }

    internal static void AssertEveryTicketCalledOnce(ConcurrentBag<Guid> called)
    {
        Assert.Equal(Tickets, called.Count);
        Assert.Equal(Tickets, called.Distinct().Count());
    }
}
