using Guichet.Privacy.Crypto;
using Guichet.Privacy.Rotation;
using Guichet.Queueing.Domain;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Queueing.Storage;

/// <summary>Lets <c>guichet keys rewrap</c> and <c>keys status</c> walk the tickets' phone column.</summary>
internal sealed class TicketPhoneColumn(QueueingDbContext db, QueueWriteGate gate) : IProtectedColumnSource
{
    public string Name => "queueing.ticket.phone";

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        db.Tickets.LongCountAsync(t => t.Phone != null, cancellationToken);

    public async Task<IReadOnlyList<ProtectedCell>> ReadBatchAsync(string? afterCursor, int maxCount, CancellationToken cancellationToken)
    {
        var after = afterCursor is null ? Guid.Empty : Guid.Parse(afterCursor);
        var rows = await db.Tickets.AsNoTracking()
            .Where(t => t.Phone != null && t.Id.CompareTo(after) > 0)
            .OrderBy(t => t.Id)
            .Take(maxCount)
            .Select(t => new { t.Id, t.Phone })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ProtectedCell(new FieldRef(Ticket.PhoneEntity, Ticket.PhoneField, r.Id.ToString()), r.Phone!, r.Id.ToString()))];
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
                if (tickets.TryGetValue(Guid.Parse(update.Field.RowId), out var ticket) && ticket.Phone is { } current && current.AsSpan().SequenceEqual(update.Previous))
                {
                    ticket.Phone = update.Replacement;
                    replaced++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            return replaced;
        }
    }
}
