using System.Buffers;
using System.Text.Unicode;
using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Guichet.Audit.Verification;

/// <summary>
/// Rows of an embedded SQLite ledger, read with one forward-only statement and encoded from
/// the stored UTF-8 bytes, read in place in SQLite's memory, without building a string or an
/// object per entry. The text is exactly what the hash covers: the writer encodes a .NET
/// string to UTF-8 and SQLite keeps those bytes. A row in any other shape (a time not in the stored form, a field of another
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
    private const int ColumnCount = 15;

    // resource_type, resource_id, purpose, client_address, correlation_id, branch_id.
    private const int NullableTextColumns = 0b11_1011_1000;

    private readonly SqliteConnection connection;
    private readonly sqlite3_stmt statement;
    private readonly IntPtr handle;
    private readonly IntPtr[] values = new IntPtr[ColumnCount];
    private readonly int[] lengths = new int[ColumnCount];
    private int nullTextColumns;
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
        handle = statement.DangerousGetHandle();
        pendingStep = firstStep;
    }

    /// <summary>Whether rows can be read in place: the SQLite library in use is the one <see cref="NativeSqlite"/> calls.</summary>
    public static bool IsAvailable => NativeSqlite.IsUsable;

    public override bool IsReadable => fast || slow is not null;

    /// <summary>Whether the current row was read in place (true) or through <see cref="SqliteDataReader"/>.</summary>
    public bool ReadsInPlace => fast;

    public override long Sequence => fast ? sequence : slow!.Sequence;

    public override ReadOnlySpan<byte> PreviousHash => fast ? Value(PreviousHashColumn) : slow!.PreviousHash;

    public override ReadOnlySpan<byte> Hash => fast ? Value(HashColumn) : slow!.Hash;

    /// <summary>
    /// Prepares the statement over the entries whose sequence is in [<paramref name="from"/>,
    /// <paramref name="to"/>] (null: unbounded) and steps to the first row, so a damaged table fails here.
    /// </summary>
    public static SqliteLedgerRows Open(SqliteConnection connection, long? from = null, long? to = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, $"SELECT rowid, {Columns} FROM audit_entries {RangeCondition(from, to)} ORDER BY sequence", out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        var first = NativeSqlite.Step(statement.DangerousGetHandle());
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
            rc = NativeSqlite.Step(handle);
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
            if ((nullTextColumns & (1 << i)) != 0)
            {
                LedgerHash.WriteNullField(output);
            }
            else
            {
                LedgerHash.WriteField(output, Value(FirstTextColumn + i));
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

    private static string RangeCondition(long? from, long? to) => (from, to) switch
    {
        (null, null) => "",
        (long f, null) => FormattableString.Invariant($"WHERE sequence >= {f}"),
        (null, long t) => FormattableString.Invariant($"WHERE sequence <= {t}"),
        (long f, long t) => FormattableString.Invariant($"WHERE sequence >= {f} AND sequence <= {t}"),
    };

    private unsafe ReadOnlySpan<byte> Value(int column) => new((void*)values[column], lengths[column]);

    /// <summary>
    /// Takes the row's values in place when the row has the shape the ledger writes: a time in
    /// the stored form, text that is UTF-8, no NULL where the entry has no optional field.
    /// The bytes are the ones <see cref="SqliteDataReader"/> would decode: SQLite renders a
    /// value of another type as text the same way for both.
    /// </summary>
    private bool TryReadInStoredShape()
    {
        nullTextColumns = 0;
        for (var column = OccurredAtColumn; column < ColumnCount; column++)
        {
            // Value before length, as SQLite documents for reading a value in place.
            values[column] = NativeSqlite.ColumnBlob(handle, column);
            lengths[column] = NativeSqlite.ColumnBytes(handle, column);
            if (lengths[column] == 0)
            {
                // NULL and an empty value look alike here; only text fields may be either.
                var text = column - FirstTextColumn;
                if (text is < 0 or >= TextColumns)
                {
                    return false;
                }

                if (NativeSqlite.ColumnType(handle, column) == raw.SQLITE_NULL)
                {
                    if ((NullableTextColumns & (1 << text)) == 0)
                    {
                        return false;
                    }

                    nullTextColumns |= 1 << text;
                }
            }
            else if (column is >= FirstTextColumn and < PreviousHashColumn && !Utf8.IsValid(Value(column)))
            {
                return false;
            }
        }

        if (!TryParseStoredTime(Value(OccurredAtColumn), out unixMicroseconds))
        {
            return false;
        }

        sequence = NativeSqlite.ColumnInt64(handle, SequenceColumn);
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

        slowCommand.Parameters[0].Value = NativeSqlite.ColumnInt64(handle, RowId);
        using var reader = slowCommand.ExecuteReader();
        slow = reader.Read() ? TryMaterialize(reader, 0) : null;
    }
}
