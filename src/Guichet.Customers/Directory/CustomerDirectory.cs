using Guichet.Customers.Domain;
using Guichet.Customers.Storage;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Indexing;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guichet.Customers.Directory;

/// <summary>
/// The customer register: every personal value goes in through the privacy kernel under the
/// customer's own key, is found through blind indexes (no row outside the result is ever
/// decrypted), is shown masked, and leaves in full only through the kernel's audited reveal.
/// Every lookup, change and erasure is recorded in the audit trail before its answer leaves.
/// </summary>
internal sealed class CustomerDirectory(
    CustomersDbContext db,
    IPersonalDataProtector protector,
    IRevealService reveals,
    IDataSubjectErasure erasure,
    IAuditTrail audit,
    IOptions<CustomersOptions> options,
    TimeProvider time)
{
    public const string ResourceType = "customer";

    /// <exception cref="InvalidPersonalDataException">A value is missing or invalid (the message says which, never the value).</exception>
    /// <exception cref="AuditUnavailableException">Nothing was created.</exception>
    public async Task<CustomerView?> CreateAsync(Caller caller, NewCustomer draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(draft);
        var branch = draft.BranchId?.Trim() ?? "";
        if (branch.Length is 0 or > Customer.BranchIdMaxLength)
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.Other, "Give the branch the customer is registered at.");
        }

        if (!caller.MayRegisterIn(branch))
        {
            return null;
        }

        var customer = await ProtectNewAsync(branch, draft, cancellationToken);
        db.Customers.Add(customer);
        await RecordAsync("customer.create", caller, customer, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(caller, customer, cancellationToken);
    }

    /// <summary>
    /// Finds customers by one blind index, in the caller's scope, newest first, at most
    /// <see cref="CustomersOptions.MaxSearchResults"/>. Only the rows returned are decrypted
    /// (for their masks), and each is recorded in the ledger as looked up before the answer leaves.
    /// </summary>
    /// <exception cref="InvalidPersonalDataException">No criterion, several, or an invalid one.</exception>
    /// <exception cref="AuditUnavailableException">The lookup could not be recorded: nothing is returned.</exception>
    public async Task<IReadOnlyList<CustomerView>> SearchAsync(Caller caller, CustomerSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(search);
        var given = new[] { search.Phone, search.LastFour, search.IdNumber }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (given != 1)
        {
            throw new InvalidPersonalDataException(PersonalDataCategory.Phone, "Search by exactly one of: full phone number, last four digits of the phone, or ID number.");
        }

        var query = Scoped(caller);
        if (!string.IsNullOrWhiteSpace(search.Phone))
        {
            var index = await protector.PhoneIndexAsync(search.Phone, Customer.Entity, Customer.PhoneField, cancellationToken);
            query = query.Where(c => c.PhoneIndex == index);
        }
        else if (!string.IsNullOrWhiteSpace(search.LastFour))
        {
            var index = await protector.PhoneLastFourIndexAsync(search.LastFour, Customer.Entity, Customer.PhoneField, cancellationToken);
            query = query.Where(c => c.PhoneLastFour == index);
        }
        else
        {
            var index = await protector.IndexAsync(PersonalDataCategory.NationalId, search.IdNumber!, Customer.Entity, Customer.IdNumberField, cancellationToken);
            query = query.Where(c => c.IdNumberIndex == index);
        }

        var found = await query.AsNoTracking()
            .OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id)
            .Take(options.Value.MaxSearchResults)
            .ToListAsync(cancellationToken);
        var views = new List<CustomerView>(found.Count);
        foreach (var customer in found)
        {
            views.Add(await ViewAsync(caller, customer, cancellationToken));
        }

        // Recorded before the answer leaves: no ledger entry, no customer data.
        foreach (var customer in found)
        {
            await RecordAsync("customer.lookup", caller, customer, cancellationToken);
        }

        return views;
    }

    /// <summary>One customer, masked; null when out of scope or unknown (callers cannot probe existence).</summary>
    /// <exception cref="AuditUnavailableException">The lookup could not be recorded.</exception>
    public async Task<CustomerView?> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var customer = await Scoped(caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var view = await ViewAsync(caller, customer, cancellationToken);
        await RecordAsync("customer.lookup", caller, customer, cancellationToken);
        return view;
    }

    /// <summary>One full field through the kernel's reveal (policy, then ledger, then value; fail closed).</summary>
    public async Task<RevealOutcome> RevealAsync(Caller caller, Guid id, string field, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var customer = await Scoped(caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return new RevealOutcome(RevealOutcomeKind.NotFound, null);
        }

        var stored = Stored(customer, field);
        if (stored is null)
        {
            return new RevealOutcome(RevealOutcomeKind.NoSuchField, null);
        }

        var (category, ciphertext, column) = stored.Value;
        if (caller.BestRoleFor(category) is not { } role)
        {
            return new RevealOutcome(RevealOutcomeKind.Denied, null);
        }

        var result = await reveals.RevealAsync(
            new RevealRequest(caller.Actor, role, category, Field(customer, column), ciphertext, purpose ?? "")
            {
                BranchId = BranchOf(customer),
                ClientAddress = caller.ClientAddress,
                CorrelationId = caller.CorrelationId,
                AuditResource = (ResourceType, customer.Id.ToString()),
            },
            cancellationToken);
        return result.Status == RevealStatus.Revealed
            ? new RevealOutcome(RevealOutcomeKind.Revealed, new RevealedField(customer.Id, field, result.Value!, result.AuditSequence!.Value))
            : new RevealOutcome(result.Status switch
            {
                RevealStatus.Denied => RevealOutcomeKind.Denied,
                RevealStatus.PurposeRequired => RevealOutcomeKind.PurposeRequired,
                RevealStatus.AuditUnavailable => RevealOutcomeKind.AuditUnavailable,
                RevealStatus.Erased => RevealOutcomeKind.Erased,
                _ => RevealOutcomeKind.Unreadable,
            }, null);
    }

    /// <exception cref="InvalidPersonalDataException">A value is invalid; nothing changed.</exception>
    /// <exception cref="DbUpdateConcurrencyException">Someone else changed the customer meanwhile.</exception>
    public async Task<CustomerView?> UpdateAsync(Caller caller, Guid id, CustomerChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(changes);
        var customer = await Scoped(caller).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var key = KeyScope.Subject(customer.SubjectId);
        if (changes.Name is not null)
        {
            customer.Name = (await protector.ProtectAsync(PersonalDataCategory.Name, RequireName(changes.Name), Field(customer, Customer.NameField), key, cancellationToken)).Ciphertext;
        }

        if (changes.Phone is not null)
        {
            var phone = await protector.ProtectPhoneAsync(changes.Phone, Field(customer, Customer.PhoneField), key, cancellationToken);
            (customer.Phone, customer.PhoneIndex, customer.PhoneLastFour) = (phone.Ciphertext, phone.FullIndex, phone.LastFourIndex);
        }

        if (changes.IdNumber is not null)
        {
            var value = changes.IdNumber.Length == 0 ? null : await protector.ProtectAsync(PersonalDataCategory.NationalId, changes.IdNumber, Field(customer, Customer.IdNumberField), key, cancellationToken);
            (customer.IdNumber, customer.IdNumberIndex) = (value?.Ciphertext, value?.Index);
        }

        if (changes.Note is not null)
        {
            customer.Note = changes.Note.Length == 0 ? null : (await protector.ProtectAsync(PersonalDataCategory.FreeText, RequireNote(changes.Note), Field(customer, Customer.NoteField), key, cancellationToken)).Ciphertext;
        }

        customer.UpdatedAt = time.GetUtcNow().UtcDateTime;
        customer.Version++;
        await RecordAsync("customer.update", caller, customer, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(caller, customer, cancellationToken);
    }

    /// <summary>
    /// Erasure (P7): recorded, then the customer's key is destroyed (every copy of their data,
    /// backups included, becomes unreadable), then the row and its blind indexes are deleted.
    /// </summary>
    /// <returns>False when out of scope or unknown.</returns>
    /// <exception cref="AuditUnavailableException">Nothing was erased.</exception>
    public async Task<bool> EraseAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var customer = await Scoped(caller).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return false;
        }

        await RecordAsync("customer.erase", caller, customer, cancellationToken);
        await erasure.EraseAsync(customer.SubjectId, caller.Actor, cancellationToken);
        db.Customers.Remove(customer);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Encrypts a new customer's fields under a new subject key (used by creation and honeytoken planting).</summary>
    internal async Task<Customer> ProtectNewAsync(string branch, NewCustomer draft, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            SubjectId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N"),
            BranchId = branch,
            Name = [],
            Phone = [],
            PhoneIndex = [],
            PhoneLastFour = [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        var key = KeyScope.Subject(customer.SubjectId);
        var phone = await protector.ProtectPhoneAsync(draft.Phone ?? "", Field(customer, Customer.PhoneField), key, cancellationToken);
        (customer.Phone, customer.PhoneIndex, customer.PhoneLastFour) = (phone.Ciphertext, phone.FullIndex, phone.LastFourIndex);
        customer.Name = (await protector.ProtectAsync(PersonalDataCategory.Name, RequireName(draft.Name), Field(customer, Customer.NameField), key, cancellationToken)).Ciphertext;
        if (!string.IsNullOrWhiteSpace(draft.IdNumber))
        {
            var idNumber = await protector.ProtectAsync(PersonalDataCategory.NationalId, draft.IdNumber, Field(customer, Customer.IdNumberField), key, cancellationToken);
            (customer.IdNumber, customer.IdNumberIndex) = (idNumber.Ciphertext, idNumber.Index);
        }

        if (!string.IsNullOrEmpty(draft.Note))
        {
            customer.Note = (await protector.ProtectAsync(PersonalDataCategory.FreeText, RequireNote(draft.Note), Field(customer, Customer.NoteField), key, cancellationToken)).Ciphertext;
        }

        return customer;
    }

    internal static FieldRef Field(Customer customer, string column) => new(Customer.Entity, column, customer.Id.ToString());

    private IQueryable<Customer> Scoped(Caller caller)
    {
        if (caller.AllBranches)
        {
            return db.Customers;
        }

        var branches = caller.Branches.Append(Customer.SharedBranch).ToList();
        return db.Customers.Where(c => branches.Contains(c.BranchId));
    }

    private async Task<CustomerView> ViewAsync(Caller caller, Customer customer, CancellationToken cancellationToken) => new(
        customer.Id,
        customer.BranchId,
        await MaskAsync(caller, PersonalDataCategory.Name, customer.Name, Field(customer, Customer.NameField), cancellationToken),
        await MaskAsync(caller, PersonalDataCategory.Phone, customer.Phone, Field(customer, Customer.PhoneField), cancellationToken),
        customer.IdNumber is null ? null : await MaskAsync(caller, PersonalDataCategory.NationalId, customer.IdNumber, Field(customer, Customer.IdNumberField), cancellationToken),
        customer.Note is null ? null : await MaskAsync(caller, PersonalDataCategory.FreeText, customer.Note, Field(customer, Customer.NoteField), cancellationToken),
        customer.CreatedAt,
        customer.UpdatedAt);

    private async Task<ShownField> MaskAsync(Caller caller, PersonalDataCategory category, byte[] ciphertext, FieldRef field, CancellationToken cancellationToken) =>
        caller.BestRoleFor(category) is { } role
            ? ShownField.From(await protector.MaskAsync(category, ciphertext, field, role, cancellationToken))
            : ShownField.From(MaskedField.Hidden);

    private static (PersonalDataCategory Category, byte[] Ciphertext, string Column)? Stored(Customer customer, string field) => field switch
    {
        CustomerFields.Name => (PersonalDataCategory.Name, customer.Name, Customer.NameField),
        CustomerFields.Phone => (PersonalDataCategory.Phone, customer.Phone, Customer.PhoneField),
        CustomerFields.IdNumber when customer.IdNumber is not null => (PersonalDataCategory.NationalId, customer.IdNumber, Customer.IdNumberField),
        CustomerFields.Note when customer.Note is not null => (PersonalDataCategory.FreeText, customer.Note, Customer.NoteField),
        _ => null,
    };

    private static string? BranchOf(Customer customer) => customer.BranchId == Customer.SharedBranch ? null : customer.BranchId;

    private ValueTask<long> RecordAsync(string action, Caller caller, Customer customer, CancellationToken cancellationToken) =>
        audit.RecordAsync(
            new AuditEvent(action, caller.Actor, AuditOutcome.Success, ResourceType, customer.Id.ToString(), ClientAddress: caller.ClientAddress, CorrelationId: caller.CorrelationId, BranchId: BranchOf(customer)),
            cancellationToken);

    private static string RequireName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        return trimmed.Length is > 0 and <= 200
            ? trimmed
            : throw new InvalidPersonalDataException(PersonalDataCategory.Name, "The name is required and at most 200 characters.");
    }

    private static string RequireNote(string note) =>
        note.Length <= 2000 ? note : throw new InvalidPersonalDataException(PersonalDataCategory.FreeText, "The note is at most 2000 characters.");
}

internal enum RevealOutcomeKind
{
    Revealed,
    NotFound,
    NoSuchField,
    Denied,
    PurposeRequired,
    AuditUnavailable,
    Erased,
    Unreadable,
}

internal sealed record RevealOutcome(RevealOutcomeKind Kind, RevealedField? Value);
