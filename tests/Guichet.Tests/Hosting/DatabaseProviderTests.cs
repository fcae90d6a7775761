using Guichet.Identity.Data;
using Guichet.Privacy.Storage;
using Microsoft.Extensions.Configuration;

namespace Guichet.Tests.Hosting;

public sealed class DatabaseProviderTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    [InlineData("PostgreSQL")]
    public void Identity_keeps_its_accounts_in_the_database_every_other_module_uses(string? provider)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = provider }).Build();

        Assert.Equal(DatabaseSettings.ProviderOf(configuration) == DatabaseProvider.Postgres, IdentityStorage.IsPostgres(configuration));
        Assert.Equal(provider is "Postgres" or "PostgreSQL", IdentityStorage.IsPostgres(configuration));
    }
}
