using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Guichet.Privacy.Storage;

/// <summary>
/// A command of a <see cref="StatementReusingSqliteConnection"/>: it runs on a
/// <see cref="SqliteCommand"/> borrowed for its SQL when first needed, and gives it back when
/// disposed. Settings made before the SQL is known (EF Core and Guichet set the transaction
/// and the SQL first, then the parameters) are carried over to the borrowed command. Like a
/// command Microsoft.Data.Sqlite makes, a new one joins the transaction open on its connection.
/// </summary>
internal sealed class ReusedStatementCommand(StatementReusingSqliteConnection connection) : DbCommand
{
    private SqliteCommand? inner;
    private int borrowedIn;
    private SqliteDataReader? lastReader;
    private string text = string.Empty;
    private SqliteTransaction? transaction = connection.OpenTransaction;
    private int? timeout;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string CommandText
    {
        get => inner?.CommandText ?? text;
        set
        {
            if (inner is null)
            {
                text = value ?? string.Empty;
            }
            else
            {
                inner.CommandText = value;
            }
        }
    }

    public override int CommandTimeout
    {
        get => timeout ?? connection.DefaultTimeout;
        set
        {
            timeout = value;
            inner?.CommandTimeout = value;
        }
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException($"SQLite commands are text only, not {value}.", nameof(value));
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => connection;
        set
        {
            if (value is not null && value != connection)
            {
                throw new InvalidOperationException("This command belongs to the connection that created it.");
            }
        }
    }

    protected override DbParameterCollection DbParameterCollection => Inner.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => transaction;
        set
        {
            transaction = (SqliteTransaction?)value;
            inner?.Transaction = transaction;
        }
    }

    private SqliteCommand Inner
    {
        get
        {
            if (inner is null)
            {
                (inner, borrowedIn) = connection.Borrow(text);
                inner.Transaction = transaction;
                inner.CommandTimeout = timeout ?? connection.DefaultTimeout;
            }

            return inner;
        }
    }

    public override void Cancel()
    {
    }

    public override int ExecuteNonQuery() => Inner.ExecuteNonQuery();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Inner.ExecuteNonQueryAsync(cancellationToken);

    public override object? ExecuteScalar() => Inner.ExecuteScalar();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Inner.ExecuteScalarAsync(cancellationToken);

    public override void Prepare() => Inner.Prepare();

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => lastReader = Inner.ExecuteReader(behavior);

    // As Microsoft.Data.Sqlite does: SQLite has no asynchronous I/O, so the reader is made at once.
    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<DbDataReader>(ExecuteDbDataReader(behavior));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && inner is not null)
        {
            connection.GiveBack(inner, borrowedIn, readerOpen: lastReader is { IsClosed: false });
            inner = null;
            lastReader = null;
        }

        base.Dispose(disposing);
    }
}
