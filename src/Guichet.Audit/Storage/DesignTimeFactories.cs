using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Guichet.Audit.Storage;

// Used by `dotnet dotnet-ef migrations add` only; the connection strings never open.
internal sealed class SqliteAuditDbContextDesignFactory : IDesignTimeDbContextFactory<SqliteAuditDbContext>
{
    public SqliteAuditDbContext CreateDbContext(string[] args) =>
        new(AuditStore.ConfigureSqlite(new DbContextOptionsBuilder<SqliteAuditDbContext>(), "Data Source=design.db").Options);
}

internal sealed class PostgresAuditDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresAuditDbContext>
{
    public PostgresAuditDbContext CreateDbContext(string[] args) =>
        new(AuditStore.ConfigurePostgres(new DbContextOptionsBuilder<PostgresAuditDbContext>(), "Host=localhost;Database=guichet_design").Options);
}
