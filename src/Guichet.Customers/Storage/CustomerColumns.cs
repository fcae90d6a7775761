using Guichet.Customers.Directory;
using Guichet.Customers.Domain;
using Guichet.Privacy.Rotation;
using Guichet.Privacy.Storage;
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

    /// <summary>
    /// One prepared compare-and-swap UPDATE per value in one transaction: a rewrap replaces
    /// values by the million, and tracking each row in the context would make every batch slower
    /// than the last. A value changed since it was read is left for the next run.
    /// </summary>
    public async Task<int> ReplaceAsync(IReadOnlyList<ProtectedCellUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            return 0;
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Column switch
            {
                Customer.NameField => """UPDATE customers SET "Name" = @replacement WHERE "Id" = @id AND "Name" = @previous""",
                Customer.PhoneField => """UPDATE customers SET "Phone" = @replacement WHERE "Id" = @id AND "Phone" = @previous""",
                Customer.IdNumberField => """UPDATE customers SET "IdNumber" = @replacement WHERE "Id" = @id AND "IdNumber" = @previous""",
                Customer.NoteField => """UPDATE customers SET "Note" = @replacement WHERE "Id" = @id AND "Note" = @previous""",
                _ => throw new InvalidOperationException("Unknown customer column."),
            };
            var id = AddParameter(command, "@id");
            var previous = AddParameter(command, "@previous");
            var replacement = AddParameter(command, "@replacement");
            await command.PrepareAsync(cancellationToken);
            var replaced = 0;
            foreach (var update in updates)
            {
                var rowId = Guid.Parse(update.Field.RowId);
                id.Value = db.Provider == DatabaseProvider.Sqlite ? rowId.ToString().ToUpperInvariant() : rowId;
                previous.Value = update.Previous;
                replacement.Value = update.Replacement;
                replaced += await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return replaced;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static System.Data.Common.DbParameter AddParameter(System.Data.Common.DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
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
