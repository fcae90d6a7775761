using Microsoft.Extensions.Configuration;

namespace Guichet.Privacy.Storage;

/// <summary>
/// Reads <c>Database:Provider</c> and <c>ConnectionStrings:Guichet</c> (see docs/architecture.md)
/// for every module alike: the key ring, the ledger, identity, the queue and customers must
/// never disagree on where the installation's data lives.
/// </summary>
public sealed class DatabaseSettings(IConfiguration configuration)
{
    // Read once: every module's contexts are registered for them at startup, so they cannot
    // change under a running server, and every request resolves a context through them.
    private readonly Lazy<DatabaseProvider> provider = new(() => ProviderOf(configuration));
    private readonly Lazy<string?> connectionString = new(() => ConnectionStringOf(configuration));

    public DatabaseProvider Provider => provider.Value;

    public string ConnectionString =>
        connectionString.Value ?? throw new InvalidOperationException("ConnectionStrings:Guichet is not set.");

    /// <summary>
    /// <c>ConnectionStrings:Guichet</c> as every module connects with it, or null when it is not
    /// set; on PostgreSQL with Npgsql's automatic statement preparation (<see cref="PostgresAutoPrepare"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>Database:Provider</c> names no supported database.</exception>
    public static string? ConnectionStringOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration.GetConnectionString("Guichet");
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return ProviderOf(configuration) == DatabaseProvider.Postgres ? PostgresAutoPrepare.Apply(value) : value;
    }

    /// <summary><c>Sqlite</c> when unset; <c>Postgres</c> (or <c>PostgreSQL</c>); anything else is refused.</summary>
    /// <exception cref="InvalidOperationException">The setting names no supported database.</exception>
    public static DatabaseProvider ProviderOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value) || value.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Sqlite;
        }

        if (value.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || value.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Postgres;
        }

        throw new InvalidOperationException($"Database:Provider must be 'Sqlite' or 'Postgres', not '{value}'.");
    }
}
