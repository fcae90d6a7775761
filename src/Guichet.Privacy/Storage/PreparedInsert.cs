using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guichet.Privacy.Storage;

/// <summary>
/// Inserts new rows of one entity type in the context's current transaction with one command,
/// bound again for each row. <c>SaveChanges</c> makes a new command for every row it inserts,
/// and on SQLite every new command parses and plans its statement again (dotnet/efcore#14044);
/// a batch written here prepares its statement once. On a provider with batches (PostgreSQL)
/// the rows go in one round trip instead, as with <c>SaveChanges</c>. The table, the columns
/// and every value's conversion come from the context's model, through the same type mappings
/// <c>SaveChanges</c> uses, so a row is stored exactly as <c>SaveChanges</c> would store it.
/// </summary>
/// <remarks>
/// For rows nothing else in the transaction tracks: the entities are not attached, a key the
/// database generates is not read back, and navigations are not followed (insert each entity
/// type in its own call, principals first). An entity type with a shadow property, or with a
/// generated value other than a database-generated integer key, is refused.
/// </remarks>
public static class PreparedInsert
{
    private static readonly ConditionalWeakTable<IEntityType, Shape> Shapes = [];

    /// <summary>Inserts <paramref name="rows"/> in order, in the context's current transaction.</summary>
    /// <exception cref="InvalidOperationException">No transaction is open, or the entity type cannot be written this way.</exception>
    public static async Task InsertAsync<TEntity>(DbContext db, IReadOnlyList<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException($"Inserting {typeof(TEntity).Name} rows needs an open transaction.");
        await InsertAsync(db, transaction, rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> in order in <paramref name="transaction"/>, which another
    /// module's context opened on the same database; <paramref name="db"/> gives only the model.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entity type cannot be written this way.</exception>
    public static async Task InsertAsync<TEntity>(DbContext db, DbTransaction transaction, IReadOnlyList<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var entityType = db.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in this context's model.");
        var shape = Shapes.GetValue(entityType, type => Shape.Of(type, db.GetService<ISqlGenerationHelper>()));

        var connection = transaction.Connection!;
        if (connection.CanCreateBatch)
        {
            await InsertAsBatchAsync(connection, transaction, shape, rows, cancellationToken).ConfigureAwait(false);
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = shape.Sql;
            foreach (var row in rows)
            {
                shape.Bind(command, row);
                var inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (inserted != 1)
                {
                    throw new InvalidOperationException($"Inserting a {typeof(TEntity).Name} row affected {inserted} rows.");
                }
            }
        }
    }

    /// <summary>
    /// Where the provider sends several statements in one round trip (Npgsql; SQLite runs in the
    /// process and has no batches), every row is one statement of a single batch, as SaveChanges
    /// sends them; the server prepares the repeated statement (automatic preparation).
    /// </summary>
    private static async Task InsertAsBatchAsync<TEntity>(DbConnection connection, DbTransaction transaction, Shape shape, IReadOnlyList<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        var batch = connection.CreateBatch();
        var parameters = connection.CreateCommand(); // The type mappings make parameters through a command.
        await using (batch.ConfigureAwait(false))
        await using (parameters.ConfigureAwait(false))
        {
            batch.Transaction = transaction;
            foreach (var row in rows)
            {
                var statement = batch.CreateBatchCommand();
                statement.CommandText = shape.Sql;
                shape.Bind(parameters, row);
                var bound = parameters.Parameters.Cast<DbParameter>().ToArray();
                parameters.Parameters.Clear(); // A parameter belongs to one collection at a time.
                statement.Parameters.AddRange(bound);

                batch.BatchCommands.Add(statement);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var statement in batch.BatchCommands)
            {
                if (statement.RecordsAffected != 1)
                {
                    throw new InvalidOperationException($"Inserting a {typeof(TEntity).Name} row affected {statement.RecordsAffected} rows.");
                }
            }
        }
    }

    /// <summary>An entity type's insert statement and how each of its parameters is filled from an entity.</summary>
    private sealed class Shape(string sql, IReadOnlyList<Column> columns)
    {
        public string Sql { get; } = sql;

        public static Shape Of(IEntityType entityType, ISqlGenerationHelper sql)
        {
            var table = entityType.GetTableName()
                ?? throw new InvalidOperationException($"{entityType.DisplayName()} is not mapped to a table.");
            var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
            var columns = new List<Column>();
            foreach (var property in entityType.GetProperties())
            {
                if (property.IsShadowProperty())
                {
                    throw new InvalidOperationException($"{entityType.DisplayName()}.{property.Name} is a shadow property; insert it with SaveChanges.");
                }

                if (property.ValueGenerated != ValueGenerated.Never)
                {
                    if (property.IsPrimaryKey() && (property.ClrType == typeof(long) || property.ClrType == typeof(int)))
                    {
                        continue; // The database numbers the row.
                    }

                    throw new InvalidOperationException($"{entityType.DisplayName()}.{property.Name} is generated on write; insert it with SaveChanges.");
                }

                var parameter = "p" + columns.Count.ToString(CultureInfo.InvariantCulture);
                columns.Add(new Column(
                    sql.DelimitIdentifier(property.GetColumnName(store)!),
                    sql.GenerateParameterName(parameter),
                    sql.GenerateParameterNamePlaceholder(parameter),
                    property.GetRelationalTypeMapping(),
                    property.GetGetter(),
                    property.IsNullable));
            }

            var text = $"INSERT INTO {sql.DelimitIdentifier(table, entityType.GetSchema())} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select(c => c.Placeholder))})";
            return new Shape(text, columns);
        }

        /// <summary>
        /// Gives the command's parameters this row's values. The parameters are created for the
        /// first row and kept: a provider may bind its prepared statement to the parameter objects
        /// it first ran with (Npgsql did, and inserted the first row again when new objects
        /// replaced them).
        /// </summary>
        public void Bind(DbCommand command, object entity)
        {
            var first = command.Parameters.Count == 0;
            for (var i = 0; i < columns.Count; i++)
            {
                var column = columns[i];
                // The type mapping converts the value exactly as SaveChanges would.
                var bound = column.Mapping.CreateParameter(command, column.Parameter, column.Getter.GetClrValue(entity), column.Nullable);
                if (first)
                {
                    command.Parameters.Add(bound);
                }
                else
                {
                    command.Parameters[i].Value = bound.Value;
                }
            }
        }
    }

    private sealed record Column(string Name, string Parameter, string Placeholder, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, bool Nullable);
}
