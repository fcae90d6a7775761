using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Guichet.Customers.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's context without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCustomersDbContext>
{
    public SqliteCustomersDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteCustomersDbContext>();
        CustomersStorage.ConfigureSqlite(options, "Data Source=design-time.db");
        return new SqliteCustomersDbContext(options.Options);
    }
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCustomersDbContext>
{
    public PostgresCustomersDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresCustomersDbContext>();
        CustomersStorage.ConfigurePostgres(options, "Host=localhost;Database=guichet");
        return new PostgresCustomersDbContext(options.Options);
    }
}
