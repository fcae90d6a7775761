using Guichet.Queueing.Demo;
using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Demo;

public sealed class DemoSeederTests
{
    [Fact]
    public async Task Seeding_twice_leaves_one_demo_branch_with_three_services_and_counters()
    {
        await using var hall = await QueueHarness.StartAsync();

        await hall.InScopeAsync(async s => { await s.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None); return 0; });
        await hall.InScopeAsync(async s => { await s.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None); return 0; });

        var (branches, services, counters, loansPurpose) = await hall.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<QueueingDbContext>();
            var loans = await db.Services.SingleAsync(x => x.Prefix == "B");
            return (await db.Branches.CountAsync(), await db.Services.Select(x => x.Prefix + " " + x.Name).OrderBy(x => x).ToListAsync(), await db.Counters.CountAsync(), loans.CollectsPhone ? loans.PhonePurpose : null);
        });
        Assert.Equal(1, branches);
        Assert.Equal(["A Deposits", "B Loans", "C Enquiries"], services);
        Assert.Equal(3, counters);
        Assert.Equal("tell you when your turn is near", loansPurpose);
    }
}
