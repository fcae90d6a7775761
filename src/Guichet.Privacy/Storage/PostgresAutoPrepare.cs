using System.Data.Common;
using Npgsql;

namespace Guichet.Privacy.Storage;

/// <summary>
/// Npgsql's automatic preparation for Guichet's PostgreSQL connections: a statement a
/// connection runs a second time is prepared on the server and reused from then on, up to
/// <see cref="MaxStatements"/> per connection, instead of being parsed and planned on every
/// call. EF Core sends the same few statements over and over (issuing, calling, key lookups);
/// docs/benchmarks.md has what it saves (<c>issue-pg</c>, <c>call-pg</c>). An operator's own
/// <c>Max Auto Prepare</c> or <c>Auto Prepare Min Usages</c> in the connection string wins, 0
/// included (which turns it off).
/// </summary>
internal static class PostgresAutoPrepare
{
    public const int MaxStatements = 64;

    public const int MinUsages = 2;

    public static string Apply(string connectionString)
    {
        // The generic builder keeps exactly the keys the operator wrote.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.ContainsKey("Max Auto Prepare") && !written.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxStatements;
        }

        if (!written.ContainsKey("Auto Prepare Min Usages") && !written.ContainsKey("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = MinUsages;
        }

        return builder.ConnectionString;
    }
}
