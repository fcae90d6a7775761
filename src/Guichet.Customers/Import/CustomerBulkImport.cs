using System.Data.Common;
using Guichet.Customers.Directory;
using Guichet.Customers.Domain;
using Guichet.Customers.Storage;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Customers.Import;

/// <summary>
/// Seeds many customers at once (load tests, migrations from another system): keys for a batch
/// of new subjects in one key-ring transaction, values protected with the same kernel format
/// and indexes as a normal registration, rows written with one prepared statement, one
/// transaction per <see cref="BatchSize"/> customers. Not audited per customer: an import is
/// an operator's act, recorded by whoever runs it.
/// </summary>
internal sealed class CustomerBulkImport(CustomersDbContext db, IBulkProtector bulk, TimeProvider time)
{
    public const int BatchSize = 10_000;
    private static readonly string[] ParameterNames = ["@id", "@subject", "@branch", "@name", "@phone", "@phoneIndex", "@lastFour", "@idNumber", "@idIndex", "@note", "@at"];

    /// <returns>How many customers were written.</returns>
    public async Task<long> ImportAsync(IEnumerable<NewCustomer> customers, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            long written = 0;
            foreach (var chunk in customers.Chunk(BatchSize))
            {
                written += await WriteBatchAsync(connection, chunk, cancellationToken);
                progress?.Invoke(written);
            }

            return written;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<int> WriteBatchAsync(DbConnection connection, NewCustomer[] chunk, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = chunk.Select(c => (Id: Guid.CreateVersion7(now), Subject: Guid.CreateVersion7(now).ToString("N"), Draft: c)).ToArray();
        var batch = await bulk.CreateSubjectsAsync([.. rows.Select(r => r.Subject)], cancellationToken);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            """
            INSERT INTO customers ("Id", "SubjectId", "BranchId", "Name", "Phone", "PhoneIndex", "PhoneLastFour", "IdNumber", "IdNumberIndex", "Note", "CreatedAt", "UpdatedAt", "Version")
            VALUES (@id, @subject, @branch, @name, @phone, @phoneIndex, @lastFour, @idNumber, @idIndex, @note, @at, @at, 0)
            """;
        var parameters = ParameterNames
            .Select(name =>
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
                return parameter;
            })
            .ToArray();
        await command.PrepareAsync(cancellationToken);
        var at = db.Provider == DatabaseProvider.Sqlite ? (object)now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture) : now.UtcDateTime;
        foreach (var (id, subject, draft) in rows)
        {
            var customer = new Customer { Id = id, SubjectId = subject, BranchId = draft.BranchId, Name = [], Phone = [], PhoneIndex = [], PhoneLastFour = [] };
            var phone = await batch.ProtectPhoneAsync(subject, draft.Phone, CustomerDirectory.Field(customer, Customer.PhoneField), cancellationToken);
            var name = await batch.ProtectAsync(subject, PersonalDataCategory.Name, draft.Name, CustomerDirectory.Field(customer, Customer.NameField), cancellationToken);
            var idNumber = string.IsNullOrWhiteSpace(draft.IdNumber) ? null : await batch.ProtectAsync(subject, PersonalDataCategory.NationalId, draft.IdNumber, CustomerDirectory.Field(customer, Customer.IdNumberField), cancellationToken);
            var note = string.IsNullOrEmpty(draft.Note) ? null : await batch.ProtectAsync(subject, PersonalDataCategory.FreeText, draft.Note, CustomerDirectory.Field(customer, Customer.NoteField), cancellationToken);
            parameters[0].Value = db.Provider == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;
            parameters[1].Value = subject;
            parameters[2].Value = draft.BranchId;
            parameters[3].Value = name.Ciphertext;
            parameters[4].Value = phone.Ciphertext;
            parameters[5].Value = phone.FullIndex;
            parameters[6].Value = phone.LastFourIndex;
            parameters[7].Value = (object?)idNumber?.Ciphertext ?? DBNull.Value;
            parameters[8].Value = (object?)idNumber?.Index ?? DBNull.Value;
            parameters[9].Value = (object?)note?.Ciphertext ?? DBNull.Value;
            parameters[10].Value = at;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows.Length;
    }
}
