using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Indexing;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Storage;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Queueing.Calling;

/// <summary>A ticket's phone as stored, and whose key protects it.</summary>
internal sealed record TicketPhone(string SubjectId, ProtectedPhone Value);

/// <summary>
/// The kiosk's optional phone number through the privacy kernel: only for services that
/// collect one; encrypted under the customer's own key (the same customer — same number — keeps
/// one key across tickets, so erasing them shreds every ticket) and bound to the ticket row.
/// </summary>
internal sealed class TicketPhones(QueueingDbContext db, IPersonalDataProtector protector, IDataSubjects subjects)
{
    // Both run once for every ticket with a phone, outside the issuing batch: compiled once, so
    // a kiosk rush does not pay for translating the same LINQ on every ticket.
    private static readonly CompiledQuery<Func<QueueingDbContext, Guid, Guid, CancellationToken, Task<bool?>>> CollectsPhoneQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, Guid serviceId, Guid branchId, CancellationToken _) => db.Services.AsNoTracking()
            .Where(s => s.Id == serviceId && s.BranchId == branchId)
            .Select(s => (bool?)s.CollectsPhone)
            .FirstOrDefault()));

    // The customer who last brought this number, so the same number keeps one key.
    private static readonly CompiledQuery<Func<QueueingDbContext, byte[], CancellationToken, Task<string?>>> KnownSubjectQuery = new(() =>
        EF.CompileAsyncQuery((QueueingDbContext db, byte[] index, CancellationToken _) => db.Tickets.AsNoTracking()
            .Where(t => t.PhoneIndex == index && t.CustomerSubjectId != null)
            .OrderByDescending(t => t.ArrivedAt)
            .Select(t => t.CustomerSubjectId)
            .FirstOrDefault()));

    /// <exception cref="InvalidPersonalDataException">Not a valid number, or the service takes none.</exception>
    public async Task<TicketPhone?> ProtectAsync(Guid branchId, Guid serviceId, Guid ticketId, string phone, CancellationToken cancellationToken)
    {
        // One connection for both reads: taking a connection from the pool and giving it back
        // costs about as much as either read.
        bool? collects;
        string? known = null;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            collects = await CollectsPhoneQuery.For(db)(db, serviceId, branchId, cancellationToken);
            if (collects == true)
            {
                var index = await protector.PhoneIndexAsync(phone, Ticket.PhoneEntity, Ticket.PhoneField, cancellationToken);
                known = await KnownSubjectQuery.For(db)(db, index, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        if (collects is null)
        {
            // No such service: issuing answers 404 and nothing is encrypted.
            return null;
        }

        if (collects == false)
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.Phone, "This service does not take a phone number; take the ticket without one.");
        }

        var field = new FieldRef(Ticket.PhoneEntity, Ticket.PhoneField, ticketId.ToString());
        if (known is not null)
        {
            try
            {
                return new TicketPhone(known, await protector.ProtectPhoneAsync(phone, field, KeyScope.Subject(known), cancellationToken));
            }
            catch (PersonalDataUnreadableException ex) when (ex.Reason == UnreadableReason.Erased)
            {
                // That customer was erased; whoever brings the number now is a new data subject.
            }
        }

        // A number valid (the index above checked it) and new: a new subject, whose key exists already.
        var subject = await subjects.NewAsync(cancellationToken);
        return new TicketPhone(subject, await protector.ProtectPhoneAsync(phone, field, KeyScope.Subject(subject), cancellationToken));
    }
}
