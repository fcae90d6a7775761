using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Guichet.Privacy.Storage;

/// <summary>
/// A SQLite connection whose commands keep their prepared statements when they are disposed,
/// for the next command with the same SQL on this connection while it stays open.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite prepares a statement for every new command and finalizes it when the
/// command is disposed, and EF Core makes a new command for every query and every
/// <c>SaveChanges</c> (dotnet/efcore#14044), so every statement was parsed and planned again:
/// about a fifth of the server's CPU during counter actions, measured. Neither library offers
/// a statement cache, so this one is written here. Commands handed out by
/// <see cref="DbConnection.CreateCommand"/> borrow a <see cref="SqliteCommand"/> for their SQL
/// from this connection and give it back, statements prepared and parameters cleared, when
/// disposed. Closing the connection finalizes every statement (Microsoft.Data.Sqlite disposes a
/// connection's commands on close), so nothing prepared outlives the native connection.
/// One thread at a time, like any connection.
/// </remarks>
internal sealed class StatementReusingSqliteConnection(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>The most distinct statements kept; past it, a command's statement is finalized as before.</summary>
    public const int MaxKept = 256;

    private readonly Dictionary<string, SqliteCommand> kept = new(StringComparer.Ordinal);

    // Bumped by every close: a command borrowed before it was disposed with the connection's others.
    private int generation;

    /// <summary>The transaction open on this connection, which a new command joins (as Microsoft.Data.Sqlite's do).</summary>
    internal SqliteTransaction? OpenTransaction => Transaction;

    /// <summary>
    /// How many borrowed commands have not been given back: a command not disposed yet, whose
    /// reader may still hold a read transaction open.
    /// </summary>
    internal int Lent { get; private set; }

    /// <summary>How many statements are kept prepared now (for tests).</summary>
    internal int KeptCount => kept.Count;

    /// <summary>How many commands this connection has made, each preparing its statement anew (for tests).</summary>
    internal int CommandsMade { get; private set; }

    /// <summary>
    /// Opens with SQLite's query planner stability guarantee on: a statement keeps one plan
    /// whatever values are bound to it. Without it, SQLite plans a statement again whenever a
    /// new value is bound to a parameter the planner looked at (a <c>LIMIT</c> EF Core passes as
    /// a parameter is one), so a kept statement would be prepared again on every execution.
    /// </summary>
    public override void Open()
    {
        base.Open();
        SqliteException.ThrowExceptionForRC(raw.sqlite3_db_config(Handle, raw.SQLITE_DBCONFIG_ENABLE_QPSG, 1, out _), Handle);
    }

    public override void Close()
    {
        kept.Clear();
        generation++;
        Lent = 0;
        base.Close();
    }

    protected override DbCommand CreateDbCommand() => new ReusedStatementCommand(this);

    /// <summary>A command for this SQL: the kept one, prepared, when there is one.</summary>
    internal (SqliteCommand Command, int Generation) Borrow(string sql)
    {
        if (!kept.Remove(sql, out var command))
        {
            command = new SqliteCommand(sql, this);
            CommandsMade++;
        }

        Lent++;
        return (command, generation);
    }

    /// <summary>Keeps a borrowed command for the next use of its SQL, or disposes it.</summary>
    internal void GiveBack(SqliteCommand command, int borrowedIn, bool readerOpen)
    {
        if (borrowedIn == generation)
        {
            Lent--;
        }

        if (!readerOpen && borrowedIn == generation && State == ConnectionState.Open
            && command.CommandText.Length > 0 && kept.Count < MaxKept && !kept.ContainsKey(command.CommandText))
        {
            command.Parameters.Clear();
            command.Transaction = null;
            kept.Add(command.CommandText, command);
            return;
        }

        command.Dispose();
    }
}
