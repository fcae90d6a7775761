using Microsoft.EntityFrameworkCore.Design;

namespace Guichet.Privacy.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's context without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePrivacyDbContext>
{
    public SqlitePrivacyDbContext CreateDbContext(string[] args) =>
        (SqlitePrivacyDbContext)KeyStoreDatabase.Sqlite("Data Source=design-time.db").Open();
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPrivacyDbContext>
{
    public PostgresPrivacyDbContext CreateDbContext(string[] args) =>
        (PostgresPrivacyDbContext)KeyStoreDatabase.Postgres("Host=localhost;Database=guichet_design").Open();
}
