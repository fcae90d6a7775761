using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Storage;

public sealed class ListParameterTests
{
    [Fact]
    public async Task A_list_in_a_query_goes_as_one_parameter_on_sqlite()
    {
        await using var hall = await QueueHarness.StartAsync();

        var sql = await SqlOfServiceListQueryAsync(hall);

        Assert.Contains("json_each(@services)", sql, StringComparison.Ordinal);
    }

    /// <summary>
    /// The SQL of a query over a list of services. As one parameter it does not depend on the
    /// list's length, so EF Core generates it once; as one parameter per element
    /// (<c>@services1</c>, <c>@services2</c>, …) it is generated again on every execution.
    /// </summary>
    internal static Task<string> SqlOfServiceListQueryAsync(QueueHarness hall)
    {
        var services = new List<Guid> { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        return hall.InScopeAsync(provider =>
        {
            var sql = provider.GetRequiredService<QueueingDbContext>().Tickets.Where(t => services.Contains(t.ServiceId)).ToQueryString();
            Assert.DoesNotContain("@services1", sql, StringComparison.Ordinal);
            return Task.FromResult(sql);
        });
    }
}
