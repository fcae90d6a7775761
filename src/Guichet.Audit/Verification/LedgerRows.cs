using System.Buffers;
using System.Data.Common;
using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;

namespace Guichet.Audit.Verification;

/// <summary>
/// The ledger's entries in sequence order, one row at a time, for the verifier: the row's
/// sequence, its stored hashes, and its canonical encoding written straight into a buffer.
/// </summary>
internal abstract class LedgerRows : IAsyncDisposable
{
    public const string Columns =
        "sequence, occurred_at, actor_kind, actor_id, action, resource_type, resource_id, purpose, outcome, " +
        "client_address, correlation_id, branch_id, previous_hash, hash";

    /// <summary>Moves to the next row; false after the last. A damaged database throws <see cref="DbException"/>.</summary>
    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>False when a field of the current row cannot be read as the ledger wrote it.</summary>
    public abstract bool IsReadable { get; }

    public abstract long Sequence { get; }

    public abstract ReadOnlySpan<byte> PreviousHash { get; }

    public abstract ReadOnlySpan<byte> Hash { get; }

    /// <summary>Writes the current row's canonical encoding (docs/audit.md), without the previous hash.</summary>
    public abstract void Encode(IBufferWriter<byte> output);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Reads one row the way the ledger's entity is read everywhere else; the verifier's
    /// reference for what a stored field means.
    /// </summary>
    /// <returns>The entry, or null when a field cannot be read (wrong type, unparseable time).</returns>
    public static LedgerEntry? TryMaterialize(DbDataReader reader, int firstOrdinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var o = firstOrdinal;
        try
        {
            return new LedgerEntry
            {
                Sequence = reader.GetInt64(o),
                OccurredAt = DateTime.SpecifyKind(reader.GetDateTime(o + 1), DateTimeKind.Utc),
                ActorKind = reader.GetString(o + 2),
                ActorId = reader.GetString(o + 3),
                Action = reader.GetString(o + 4),
                ResourceType = reader.IsDBNull(o + 5) ? null : reader.GetString(o + 5),
                ResourceId = reader.IsDBNull(o + 6) ? null : reader.GetString(o + 6),
                Purpose = reader.IsDBNull(o + 7) ? null : reader.GetString(o + 7),
                Outcome = reader.GetString(o + 8),
                ClientAddress = reader.IsDBNull(o + 9) ? null : reader.GetString(o + 9),
                CorrelationId = reader.IsDBNull(o + 10) ? null : reader.GetString(o + 10),
                BranchId = reader.IsDBNull(o + 11) ? null : reader.GetString(o + 11),
                PreviousHash = reader.GetFieldValue<byte[]>(o + 12),
                Hash = reader.GetFieldValue<byte[]>(o + 13),
            };
        }
        catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException or FormatException or OverflowException or DbException)
        {
            return null;
        }
    }
}

/// <summary>Rows through any ADO.NET provider (PostgreSQL): each row becomes an entry object.</summary>
internal sealed class ProviderLedgerRows : LedgerRows
{
    private readonly DbCommand command;
    private readonly DbDataReader reader;
    private LedgerEntry? entry;

    private ProviderLedgerRows(DbCommand command, DbDataReader reader)
    {
        this.command = command;
        this.reader = reader;
    }

    public override bool IsReadable => entry is not null;

    public override long Sequence => entry!.Sequence;

    public override ReadOnlySpan<byte> PreviousHash => entry!.PreviousHash;

    public override ReadOnlySpan<byte> Hash => entry!.Hash;

    public static async Task<ProviderLedgerRows> OpenAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        try
        {
            command.CommandText = $"SELECT {Columns} FROM audit_entries ORDER BY sequence";
            var reader = await command.ExecuteReaderAsync(cancellationToken);
            return new ProviderLedgerRows(command, reader);
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            entry = null;
            return false;
        }

        entry = TryMaterialize(reader, 0);
        return true;
    }

    public override void Encode(IBufferWriter<byte> output) => LedgerHash.Encode(entry!, output);

    public override async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
    }
}
