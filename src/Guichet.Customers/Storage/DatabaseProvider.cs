namespace Guichet.Customers.Storage;

/// <summary>Value of the <c>Database:Provider</c> setting.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
