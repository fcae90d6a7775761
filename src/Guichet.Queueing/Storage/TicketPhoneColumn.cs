using Guichet.Privacy.Crypto;
using Guichet.Privacy.Rotation;
using Guichet.Queueing.Domain;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Queueing.Storage;

/// <summary>Lets <c>guichet keys rewrap</c> and <c>keys status</c> walk the tickets' phone column.</summary>
internal sealed class TicketPhoneColumn(QueueingDbContext db, QueueWriteGate gate)
    : TicketCipherColumn(db, gate, nameof(Ticket.Phone), Ticket.PhoneField)
{
    public override string Name => "queueing.ticket.phone";
}

/// <summary>Lets <c>guichet keys rewrap</c> and <c>keys status</c> walk the tickets' customer-name column.</summary>
internal sealed class TicketCustomerNameColumn(QueueingDbContext db, QueueWriteGate gate)
    : TicketCipherColumn(db, gate, nameof(Ticket.CustomerName), Ticket.CustomerNameField)
{
    public override string Name => "queueing.ticket.customer-name";
}

/// <summary>One protected column of the tickets table, walked by the key rotation.</summary>
internal abstract class TicketCipherColumn(QueueingDbContext db, QueueWriteGate gate, string property, string field) : IProtectedColumnSource
{
    public abstract string Name { get; }

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        db.Tickets.LongCountAsync(t => EF.Property<byte[]?>(t, property) != null, cancellationToken);

    public async Task<IReadOnlyList<ProtectedCell>> ReadBatchAsync(string? afterCursor, int maxCount, CancellationToken cancellationToken)
    {
        var after = afterCursor is null ? Guid.Empty : Guid.Parse(afterCursor);
        var rows = await db.Tickets.AsNoTracking()
            .Where(t => EF.Property<byte[]?>(t, property) != null && t.Id.CompareTo(after) > 0)
            .OrderBy(t => t.Id)
            .Take(maxCount)
            .Select(t => new { t.Id, Value = EF.Property<byte[]?>(t, property) })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ProtectedCell(new FieldRef(Ticket.PhoneEntity, field, r.Id.ToString()), r.Value!, r.Id.ToString()))];
    }

    public async Task<int> ReplaceAsync(IReadOnlyList<ProtectedCellUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        using (await gate.EnterAsync(cancellationToken))
        {
            var ids = updates.Select(u => Guid.Parse(u.Field.RowId)).ToList();
            var tickets = await db.Tickets.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
            var replaced = 0;
            foreach (var update in updates)
            {
                if (tickets.TryGetValue(Guid.Parse(update.Field.RowId), out var ticket)
                    && db.Entry(ticket).Property<byte[]?>(property) is { CurrentValue: { } current } entry
                    && current.AsSpan().SequenceEqual(update.Previous))
                {
                    entry.CurrentValue = update.Replacement;
                    replaced++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            return replaced;
        }
    }
}
