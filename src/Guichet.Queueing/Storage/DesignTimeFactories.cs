using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Guichet.Queueing.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's context without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteQueueingDbContext>
{
    public SqliteQueueingDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteQueueingDbContext>();
        QueueingStorage.ConfigureSqlite(options, "Data Source=design-time.db");
        return new SqliteQueueingDbContext(options.Options);
    }
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresQueueingDbContext>
{
    public PostgresQueueingDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresQueueingDbContext>();
        QueueingStorage.ConfigurePostgres(options, "Host=localhost;Database=guichet");
        return new PostgresQueueingDbContext(options.Options);
    }
}
