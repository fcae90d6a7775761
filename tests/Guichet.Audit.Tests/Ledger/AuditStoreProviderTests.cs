using Guichet.Audit.Storage;
using Guichet.Privacy.Storage;
using Microsoft.Extensions.Configuration;

namespace Guichet.Audit.Tests.Ledger;

public sealed class AuditStoreProviderTests
{
    [Theory]
    [InlineData("PostgreSQL", true)]
    [InlineData("Postgres", true)]
    [InlineData(null, false)]
    public void The_ledger_opens_the_database_the_provider_setting_names(string? provider, bool postgres) =>
        Assert.Equal(postgres, AuditStore.FromConfiguration(Configuration(provider)).IsPostgres);

    [Fact]
    public void An_unknown_provider_is_refused() =>
        Assert.Contains("must be 'Sqlite' or 'Postgres'", Assert.Throws<InvalidOperationException>(() => AuditStore.FromConfiguration(Configuration("mysql"))).Message, StringComparison.Ordinal);

    [Fact]
    public void The_SQLite_ledger_does_without_EF_Cores_SQLite_functions()
    {
        using var db = AuditStore.FromConfiguration(Configuration(null)).CreateContext();

        Assert.Empty(SqliteContextConnection.FindProblems(db));
    }

    private static IConfiguration Configuration(string? provider) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            // Never opened: the store only prepares its options.
            ["ConnectionStrings:Guichet"] = provider is null ? "Data Source=guichet-settings-test.db" : "Host=127.0.0.1;Port=1;Database=guichet_settings_test;Username=nobody",
        }).Build();
}
