using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Guichet.Privacy.Storage;

/// <summary>
/// EF Core's SQLite connection as Guichet's contexts use it. Two changes from EF Core's own:
/// <list type="number">
/// <item><description>
/// Without the functions EF Core adds to every connection it creates (<c>regexp</c>, and the
/// <c>ef_*</c> functions, aggregates and collation that do decimal arithmetic).
/// Microsoft.Data.Sqlite registers a connection's functions with SQLite again on every open,
/// and EF Core opens a connection for every query: 11 µs and 5 KB of garbage an open, measured,
/// more than the open itself. Guichet stores no decimal and never matches a regular expression
/// in SQL, so its contexts do without them; a query that did would fail with "no such
/// function". Each module's tests call <see cref="FindProblems"/> on its context, which keeps
/// decimals out of every model.
/// </description></item>
/// <item><description>
/// The native connection stays open from the context's first query until the context is
/// disposed (a pooled context: until it leaves the pool), instead of being closed after every
/// query, and it is a <see cref="StatementReusingSqliteConnection"/>: each statement is
/// prepared once for the context rather than on every execution. Outside a transaction an idle
/// open connection holds no lock and no snapshot, and reads what was last committed. EF Core
/// ends its own transactions before it closes; a transaction still open then (SQL that began
/// one) is rolled back and the connection closed.
/// </description></item>
/// </list>
/// </summary>
/// <remarks>
/// Derives from an EF Core internal type (EF1001): the one documented way to change how the
/// provider creates its connection is to replace this service. Revisit on each EF Core upgrade.
/// </remarks>
#pragma warning disable EF1001 // Internal EF Core API: see the remarks.
public sealed class SqliteContextConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    /// <summary>Uses this connection in a context's options (call after <c>UseSqlite</c>).</summary>
    /// <typeparam name="TBuilder">The options builder's type, returned as is for chaining.</typeparam>
    /// <param name="options">The context's options.</param>
    public static TBuilder Use<TBuilder>(TBuilder options)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ReplaceService<ISqliteRelationalConnection, SqliteContextConnection>();
        return options;
    }

    /// <summary>
    /// What stops a SQLite context from doing without EF Core's functions: not using this
    /// connection, or a decimal property, whose arithmetic and ordering EF Core does with them.
    /// Modules call it from their tests on their own DbContext.
    /// </summary>
    /// <returns>One readable line per problem; empty when the context is sound.</returns>
    public static IReadOnlyList<string> FindProblems(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        if (context.GetService<IRelationalConnection>() is not SqliteContextConnection)
        {
            problems.Add($"{context.GetType().Name} does not use {nameof(SqliteContextConnection)}.");
        }

        foreach (var entity in context.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if ((Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) == typeof(decimal))
                {
                    problems.Add($"{entity.ClrType.Name}.{property.Name} is a decimal: EF Core computes and orders decimals on SQLite with the functions this connection leaves out.");
                }
            }
        }

        return problems;
    }

    protected override DbConnection CreateDbConnection() => new StatementReusingSqliteConnection(GetValidatedConnectionString());

    protected override void CloseDbConnection()
    {
        if (!StaysOpen())
        {
            base.CloseDbConnection();
        }
    }

    protected override Task CloseDbConnectionAsync() => StaysOpen() ? Task.CompletedTask : base.CloseDbConnectionAsync();

    /// <summary>
    /// Whether EF Core's close leaves the connection open. Not when a command on it has not been
    /// disposed (its reader could hold a read transaction, and with it the WAL, for as long as
    /// the context lives), nor when a transaction is still open on it (SQL that began one and
    /// never ended it), which is rolled back first. Then the connection is closed, which
    /// finalizes its statements, and goes back to Microsoft.Data.Sqlite's pool clean.
    /// </summary>
    private bool StaysOpen()
    {
        if (DbConnection is not StatementReusingSqliteConnection { State: ConnectionState.Open } connection)
        {
            return false;
        }

        if (raw.sqlite3_get_autocommit(connection.Handle) != 0)
        {
            return connection.Lent == 0;
        }

        SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(connection.Handle, "ROLLBACK"), connection.Handle);
        return false;
    }
}
#pragma warning restore EF1001
