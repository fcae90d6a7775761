using Microsoft.Extensions.Configuration;

namespace Guichet.Customers.Storage;

/// <summary>Reads <c>Database:Provider</c> and <c>ConnectionStrings:Guichet</c> (see docs/architecture.md).</summary>
internal sealed class StorageSettings(IConfiguration configuration)
{
    public DatabaseProvider Provider
    {
        get
        {
            var value = configuration["Database:Provider"];
            if (string.IsNullOrWhiteSpace(value))
            {
                return DatabaseProvider.Sqlite;
            }

            if (value.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
            {
                return DatabaseProvider.Sqlite;
            }

            if (value.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || value.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
            {
                return DatabaseProvider.Postgres;
            }

            throw new InvalidOperationException("Database:Provider must be 'Sqlite' or 'Postgres'.");
        }
    }

    public string ConnectionString =>
        configuration.GetConnectionString("Guichet") is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException("ConnectionStrings:Guichet is not set.");
}
