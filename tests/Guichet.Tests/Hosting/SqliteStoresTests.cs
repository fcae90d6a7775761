using Guichet.Customers.Storage;
using Guichet.Identity.Data;
using Guichet.Privacy.Storage;
using Guichet.Queueing.Storage;
using Guichet.Tests.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Hosting;

public sealed class SqliteStoresTests
{
    [Fact]
    public async Task The_queue_customers_and_identity_stores_do_without_EF_Cores_SQLite_functions()
    {
        await using var server = await QueueApiHost.StartAsync();
        await using var scope = server.Services.CreateAsyncScope();
        DbContext[] stores =
        [
            scope.ServiceProvider.GetRequiredService<QueueingDbContext>(),
            scope.ServiceProvider.GetRequiredService<CustomersDbContext>(),
            scope.ServiceProvider.GetRequiredService<GuichetIdentityDbContext>(),
        ];

        Assert.All(stores, store => Assert.Empty(SqliteContextConnection.FindProblems(store)));
    }
}
