using System.Buffers;
using System.Text.Unicode;
using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Guichet.Audit.Verification;

/// <summary>
/// Rows of an embedded SQLite ledger, read with one forward-only statement and encoded from
/// the stored UTF-8 bytes without building a string or an object per entry. The text is
/// exactly what the hash covers: the writer encodes a .NET string to UTF-8 and SQLite keeps
/// those bytes. A row in any other shape (a time not in the stored form, a field of another
/// type, bytes that are not UTF-8) is read again through <see cref="SqliteDataReader"/>, so
/// it gets the same verdict as any other reader of the ledger would give it.
/// </summary>
internal sealed class SqliteLedgerRows : LedgerRows
{
    // Ordinals in the statement: rowid first, then LedgerRows.Columns.
    private const int RowId = 0;
    private const int SequenceColumn = 1;
    private const int OccurredAtColumn = 2;
    private const int FirstTextColumn = 3;
    private const int TextColumns = 10;
    private const int PreviousHashColumn = 13;
    private const int HashColumn = 14;

    // resource_type, resource_id, purpose, client_address, correlation_id, branch_id.
    private const int NullableTextColumns = 0b11_1011_1000;

    private readonly SqliteConnection connection;
    private readonly sqlite3_stmt statement;
    private int pendingStep;
    private bool fast;
    private long sequence;
    private long unixMicroseconds;
    private LedgerEntry? slow;
    private SqliteCommand? slowCommand;

    private SqliteLedgerRows(SqliteConnection connection, sqlite3_stmt statement, int firstStep)
    {
        this.connection = connection;
        this.statement = statement;
        pendingStep = firstStep;
    }

    public override bool IsReadable => fast || slow is not null;

    public override long Sequence => fast ? sequence : slow!.Sequence;

    public override ReadOnlySpan<byte> PreviousHash => fast ? raw.sqlite3_column_blob(statement, PreviousHashColumn) : slow!.PreviousHash;

    public override ReadOnlySpan<byte> Hash => fast ? raw.sqlite3_column_blob(statement, HashColumn) : slow!.Hash;

    /// <summary>Prepares the statement and steps to the first row, so a damaged table fails here.</summary>
    public static SqliteLedgerRows Open(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, $"SELECT rowid, {Columns} FROM audit_entries ORDER BY sequence", out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        var first = raw.sqlite3_step(statement);
        if (first is not raw.SQLITE_ROW and not raw.SQLITE_DONE)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(first, db);
        }

        return new SqliteLedgerRows(connection, statement, first);
    }

    /// <summary>
    /// Parses the time as SQLite holds the ledger's entries ("yyyy-MM-dd HH:mm:ss" and up to
    /// seven fraction digits) into Unix microseconds, as <see cref="LedgerHash.UnixMicroseconds"/>
    /// computes them. Anything else is left to the general reader.
    /// </summary>
    public static bool TryParseStoredTime(ReadOnlySpan<byte> text, out long unixMicroseconds)
    {
        unixMicroseconds = 0;
        if (text.Length is < 19 or 20 or > 27
            || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month)
            || !TryDigits(text.Slice(8, 2), out var day) || !TryDigits(text.Slice(11, 2), out var hour)
            || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long fractionTicks = 0;
        if (text.Length > 19)
        {
            if (text[19] != '.' || !TryDigits(text[20..], out var fraction))
            {
                return false;
            }

            fractionTicks = fraction;
            for (var digits = text.Length - 20; digits < 7; digits++)
            {
                fractionTicks *= 10;
            }
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fractionTicks;
        unixMicroseconds = (ticks - DateTime.UnixEpoch.Ticks) / 10;
        return true;
    }

    public override ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int rc;
        if (pendingStep != 0)
        {
            rc = pendingStep;
            pendingStep = 0;
        }
        else
        {
            rc = raw.sqlite3_step(statement);
        }

        slow = null;
        fast = false;
        if (rc == raw.SQLITE_DONE)
        {
            return ValueTask.FromResult(false);
        }

        if (rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }

        fast = TryReadInStoredShape();
        if (!fast)
        {
            ReadThroughProvider();
        }

        return ValueTask.FromResult(true);
    }

    public override void Encode(IBufferWriter<byte> output)
    {
        if (!fast)
        {
            LedgerHash.Encode(slow!, output);
            return;
        }

        LedgerHash.WriteHead(output, sequence, unixMicroseconds);
        for (var i = 0; i < TextColumns; i++)
        {
            if (raw.sqlite3_column_type(statement, FirstTextColumn + i) == raw.SQLITE_NULL)
            {
                LedgerHash.WriteNullField(output);
            }
            else
            {
                LedgerHash.WriteField(output, raw.sqlite3_column_blob(statement, FirstTextColumn + i));
            }
        }
    }

    public override ValueTask DisposeAsync()
    {
        statement.Dispose();
        slowCommand?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            var digit = c - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private bool TryReadInStoredShape()
    {
        if (raw.sqlite3_column_type(statement, SequenceColumn) != raw.SQLITE_INTEGER
            || raw.sqlite3_column_type(statement, OccurredAtColumn) != raw.SQLITE_TEXT
            || !TryParseStoredTime(raw.sqlite3_column_blob(statement, OccurredAtColumn), out unixMicroseconds)
            || raw.sqlite3_column_type(statement, PreviousHashColumn) != raw.SQLITE_BLOB
            || raw.sqlite3_column_type(statement, HashColumn) != raw.SQLITE_BLOB)
        {
            return false;
        }

        for (var i = 0; i < TextColumns; i++)
        {
            var type = raw.sqlite3_column_type(statement, FirstTextColumn + i);
            if (type == raw.SQLITE_NULL ? (NullableTextColumns & (1 << i)) == 0
                : type != raw.SQLITE_TEXT || !Utf8.IsValid(raw.sqlite3_column_blob(statement, FirstTextColumn + i)))
            {
                return false;
            }
        }

        sequence = raw.sqlite3_column_int64(statement, SequenceColumn);
        return true;
    }

    private void ReadThroughProvider()
    {
        if (slowCommand is null)
        {
            slowCommand = connection.CreateCommand();
            slowCommand.CommandText = $"SELECT {Columns} FROM audit_entries WHERE rowid = $rowid";
            slowCommand.Parameters.Add(new SqliteParameter("$rowid", SqliteType.Integer));
        }

        slowCommand.Parameters[0].Value = raw.sqlite3_column_int64(statement, RowId);
        using var reader = slowCommand.ExecuteReader();
        slow = reader.Read() ? TryMaterialize(reader, 0) : null;
    }
}
