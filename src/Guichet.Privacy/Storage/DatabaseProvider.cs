namespace Guichet.Privacy.Storage;

/// <summary>Value of the <c>Database:Provider</c> setting: the installation's one database engine.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
