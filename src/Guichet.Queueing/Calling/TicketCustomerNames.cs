using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Queueing.Domain;

namespace Guichet.Queueing.Calling;

/// <summary>A ticket's customer name as stored, and whose key protects it.</summary>
internal sealed record TicketCustomerName(string SubjectId, byte[] Ciphertext);

/// <summary>
/// The optional name staff give when issuing a ticket at the desk, through the privacy kernel:
/// encrypted under a key of its own data subject and bound to the ticket row; read back only as
/// the kernel's mask (<c>张*</c>, <c>J. S****</c>), for the display board and the counter.
/// </summary>
internal sealed class TicketCustomerNames(IPersonalDataProtector protector, IDataSubjects subjects)
{
    public const int MaxLength = 100;

    /// <summary>Null when the name is fine; otherwise what is wrong, without repeating it.</summary>
    public static string? Validate(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            return "customerName, when given, must not be blank.";
        }

        if (trimmed.Length > MaxLength)
        {
            return $"customerName must be at most {MaxLength} characters.";
        }

        return trimmed.Any(char.IsControl) ? "customerName must not contain control characters." : null;
    }

    public async Task<TicketCustomerName> ProtectAsync(Guid ticketId, string name, string? subjectId, CancellationToken cancellationToken)
    {
        // A desk-issued ticket has no phone to recognise a returning customer by: a new subject.
        var subject = subjectId ?? await subjects.NewAsync(cancellationToken);
        var value = await protector.ProtectAsync(PersonalDataCategory.Name, name.Trim(), Field(ticketId), KeyScope.Subject(subject), cancellationToken);
        return new TicketCustomerName(subject, value.Ciphertext);
    }

    /// <summary>
    /// The masked name as the hall may show it (the counter staff policy: masked basics), or null
    /// when there is none or it cannot be read (erased customer).
    /// </summary>
    public async Task<string?> MaskAsync(Guid ticketId, byte[]? ciphertext, CancellationToken cancellationToken)
    {
        if (ciphertext is null)
        {
            return null;
        }

        var masked = await protector.MaskAsync(PersonalDataCategory.Name, ciphertext, Field(ticketId), StaffRole.CounterStaff, cancellationToken);
        return masked.View == FieldView.Masked ? masked.Text : null;
    }

    /// <summary>The masked phone for the counter (never for the display board).</summary>
    public async Task<string?> MaskPhoneAsync(Guid ticketId, byte[]? ciphertext, CancellationToken cancellationToken)
    {
        if (ciphertext is null)
        {
            return null;
        }

        var field = new FieldRef(Ticket.PhoneEntity, Ticket.PhoneField, ticketId.ToString());
        var masked = await protector.MaskAsync(PersonalDataCategory.Phone, ciphertext, field, StaffRole.CounterStaff, cancellationToken);
        return masked.View == FieldView.Masked ? masked.Text : null;
    }

    private static FieldRef Field(Guid ticketId) => new(Ticket.PhoneEntity, Ticket.CustomerNameField, ticketId.ToString());
}
