using Guichet.Privacy.Crypto;

namespace Guichet.Privacy.Rotation;

/// <summary>
/// A column of protected values in another module's storage, so <c>guichet keys rewrap</c>
/// and <c>keys status</c> can walk it without knowing the module. Register it with
/// <see cref="PrivacyModule.AddProtectedColumnSource{TSource}"/> (scoped: it may use a DbContext).
/// </summary>
public interface IProtectedColumnSource
{
    /// <summary>Stable name, e.g. <c>queueing.ticket.phone</c>; keys the resume checkpoint.</summary>
    string Name { get; }

    /// <summary>How many non-null protected values the column holds (for progress).</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="maxCount"/> values in a stable order after <paramref name="afterCursor"/>
    /// (null: from the start). <see cref="ProtectedCell.Cursor"/> of the last cell continues the walk.
    /// </summary>
    Task<IReadOnlyList<ProtectedCell>> ReadBatchAsync(string? afterCursor, int maxCount, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces values in one transaction, each only if the column still holds
    /// <see cref="ProtectedCellUpdate.Previous"/> (a concurrent write wins).
    /// </summary>
    /// <returns>How many values were replaced.</returns>
    Task<int> ReplaceAsync(IReadOnlyList<ProtectedCellUpdate> updates, CancellationToken cancellationToken);
}

/// <param name="Field">Entity, field and row id exactly as bound into the ciphertext.</param>
/// <param name="Ciphertext">The stored value.</param>
/// <param name="Cursor">Position of this cell in the source's order (usually the row key).</param>
public sealed record ProtectedCell(FieldRef Field, byte[] Ciphertext, string Cursor);

public sealed record ProtectedCellUpdate(FieldRef Field, byte[] Previous, byte[] Replacement);
