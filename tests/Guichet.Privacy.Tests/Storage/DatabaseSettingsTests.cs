using Guichet.Privacy.Keys;
using Guichet.Privacy.Storage;
using Microsoft.Extensions.Configuration;

namespace Guichet.Privacy.Tests.Storage;

public sealed class DatabaseSettingsTests
{
    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite)]
    [InlineData("", DatabaseProvider.Sqlite)]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("Postgres", DatabaseProvider.Postgres)]
    [InlineData("PostgreSQL", DatabaseProvider.Postgres)]
    public void The_provider_setting_names_the_installations_database(string? value, DatabaseProvider expected) =>
        Assert.Equal(expected, DatabaseSettings.ProviderOf(Configuration(value)));

    [Fact]
    public void An_unknown_provider_is_refused_with_the_values_it_takes()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.ProviderOf(Configuration("mysql")));

        Assert.Equal("Database:Provider must be 'Sqlite' or 'Postgres', not 'mysql'.", refused.Message);
    }

    [Fact]
    public void The_key_ring_follows_the_same_setting_as_the_data_it_protects()
    {
        // "PostgreSQL" once left the keys in a local SQLite file while the data went to the
        // shared database: another instance could not have read it.
        var paths = new KeyStorePaths(Path.Combine(Path.GetTempPath(), "guichet-settings-tests", Guid.NewGuid().ToString("N")));

        Assert.False(KeyStoreDatabase.From(Configuration("PostgreSQL"), paths).IsSqlite);
        Assert.True(KeyStoreDatabase.From(Configuration(null), paths).IsSqlite);
        Assert.Throws<InvalidOperationException>(() => KeyStoreDatabase.From(Configuration("mysql"), paths));
    }

    [Fact]
    public void On_postgresql_statements_a_connection_repeats_are_prepared_automatically()
    {
        var settings = new DatabaseSettings(Configuration("Postgres"));
        var built = new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString);

        Assert.Equal(PostgresAutoPrepare.MaxStatements, built.MaxAutoPrepare);
        Assert.Equal(PostgresAutoPrepare.MinUsages, built.AutoPrepareMinUsages);
        Assert.Equal("guichet_settings_test", built.Database);
        Assert.Equal("nobody", built.Username);
    }

    [Theory]
    [InlineData("Host=db;Database=g;Max Auto Prepare=0", 0, PostgresAutoPrepare.MinUsages)]
    [InlineData("Host=db;Database=g;MaxAutoPrepare=10;Auto Prepare Min Usages=5", 10, 5)]
    public void An_operators_own_preparation_settings_win(string connectionString, int maxStatements, int minUsages)
    {
        var built = new Npgsql.NpgsqlConnectionStringBuilder(PostgresAutoPrepare.Apply(connectionString));

        Assert.Equal(maxStatements, built.MaxAutoPrepare);
        Assert.Equal(minUsages, built.AutoPrepareMinUsages);
    }

    [Fact]
    public void On_sqlite_the_connection_string_is_used_as_written()
    {
        const string written = "Data Source=/tmp/guichet-settings-tests/guichet.db";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Guichet"] = written }).Build();

        Assert.Equal(written, new DatabaseSettings(configuration).ConnectionString);
    }

    private static IConfiguration Configuration(string? provider) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Guichet"] = "Host=127.0.0.1;Port=1;Database=guichet_settings_test;Username=nobody",
        }).Build();
}
