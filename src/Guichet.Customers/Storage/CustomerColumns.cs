using Guichet.Customers.Directory;
using Guichet.Customers.Domain;
using Guichet.Privacy.Rotation;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Customers.Storage;

/// <summary>Lets <c>guichet keys rewrap</c> and <c>keys status</c> walk the customers' protected columns (one source per column).</summary>
internal abstract class CustomerColumn(CustomersDbContext db) : IProtectedColumnSource
{
    public string Name => "customers.customer." + Column;

    protected abstract string Column { get; }

    protected abstract IQueryable<Customer> WithValue(IQueryable<Customer> customers);

    protected abstract byte[]? Get(Customer customer);

    protected abstract void Set(Customer customer, byte[] value);

    public Task<long> CountAsync(CancellationToken cancellationToken) => WithValue(db.Customers).LongCountAsync(cancellationToken);

    public async Task<IReadOnlyList<ProtectedCell>> ReadBatchAsync(string? afterCursor, int maxCount, CancellationToken cancellationToken)
    {
        var after = afterCursor is null ? Guid.Empty : Guid.Parse(afterCursor);
        var rows = await WithValue(db.Customers.AsNoTracking())
            .Where(c => c.Id.CompareTo(after) > 0)
            .OrderBy(c => c.Id)
            .Take(maxCount)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(c => new ProtectedCell(CustomerDirectory.Field(c, Column), Get(c)!, c.Id.ToString()))];
    }

    public async Task<int> ReplaceAsync(IReadOnlyList<ProtectedCellUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var ids = updates.Select(u => Guid.Parse(u.Field.RowId)).ToList();
        var customers = await db.Customers.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var replaced = 0;
        foreach (var update in updates)
        {
            // Compare-and-swap: a value changed since it was read is left for the next run.
            if (customers.TryGetValue(Guid.Parse(update.Field.RowId), out var customer) && Get(customer) is { } current && current.AsSpan().SequenceEqual(update.Previous))
            {
                Set(customer, update.Replacement);
                replaced++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return replaced;
    }
}

internal sealed class CustomerNameColumn(CustomersDbContext db) : CustomerColumn(db)
{
    protected override string Column => Customer.NameField;

    protected override IQueryable<Customer> WithValue(IQueryable<Customer> customers) => customers;

    protected override byte[]? Get(Customer customer) => customer.Name;

    protected override void Set(Customer customer, byte[] value) => customer.Name = value;
}

internal sealed class CustomerPhoneColumn(CustomersDbContext db) : CustomerColumn(db)
{
    protected override string Column => Customer.PhoneField;

    protected override IQueryable<Customer> WithValue(IQueryable<Customer> customers) => customers;

    protected override byte[]? Get(Customer customer) => customer.Phone;

    protected override void Set(Customer customer, byte[] value) => customer.Phone = value;
}

internal sealed class CustomerIdNumberColumn(CustomersDbContext db) : CustomerColumn(db)
{
    protected override string Column => Customer.IdNumberField;

    protected override IQueryable<Customer> WithValue(IQueryable<Customer> customers) => customers.Where(c => c.IdNumber != null);

    protected override byte[]? Get(Customer customer) => customer.IdNumber;

    protected override void Set(Customer customer, byte[] value) => customer.IdNumber = value;
}

internal sealed class CustomerNoteColumn(CustomersDbContext db) : CustomerColumn(db)
{
    protected override string Column => Customer.NoteField;

    protected override IQueryable<Customer> WithValue(IQueryable<Customer> customers) => customers.Where(c => c.Note != null);

    protected override byte[]? Get(Customer customer) => customer.Note;

    protected override void Set(Customer customer, byte[] value) => customer.Note = value;
}
