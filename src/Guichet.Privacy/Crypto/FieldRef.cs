namespace Guichet.Privacy.Crypto;

/// <summary>
/// Where a protected value lives: entity (table), field (column) and row id. It is bound into
/// the ciphertext as associated data, so a value copied to another row or column does not decrypt.
/// </summary>
/// <param name="Entity">Stable entity name, e.g. <c>ticket</c> (not the CLR type name, which may change).</param>
/// <param name="Field">Stable field name, e.g. <c>phone</c>.</param>
/// <param name="RowId">The row's id as text (a row id or pseudonym, never a personal value).</param>
public readonly record struct FieldRef(string Entity, string Field, string RowId);
