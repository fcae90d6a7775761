using System.Buffers;

namespace Guichet.Privacy.Keys;

/// <summary>
/// Which data key protects a value: the data subject's own key (a customer: erasing them
/// destroys it), or a purpose key for data that belongs to no one subject.
/// </summary>
public readonly record struct KeyScope
{
    internal const string SubjectPrefix = "subject:";
    private const string PurposePrefix = "purpose:";
    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-._");

    private KeyScope(string name) => Name = name;

    /// <summary>Stable name of the key: <c>subject:&lt;id&gt;</c> or <c>purpose:&lt;name&gt;</c>.</summary>
    public string Name { get; }

    public bool IsSubject => Name.StartsWith(SubjectPrefix, StringComparison.Ordinal);

    /// <summary>The root of the blind-index keys; kept apart from every encryption key.</summary>
    internal static KeyScope IndexRoot { get; } = new(PurposePrefix + "blind-index-root");

    /// <param name="subjectId">A pseudonymous subject id (a customer row id), never a personal value.</param>
    public static KeyScope Subject(string subjectId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        if (subjectId.Length > 150)
        {
            throw new ArgumentException("A subject id is at most 150 characters.", nameof(subjectId));
        }

        return new(SubjectPrefix + subjectId);
    }

    /// <param name="purpose">Lower-case letters, digits, '-', '.', '_' (e.g. <c>staff-notes</c>).</param>
    public static KeyScope Purpose(string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        if (purpose.Length > 100 || purpose.AsSpan().ContainsAnyExcept(NameCharacters) || purpose == "blind-index-root")
        {
            throw new ArgumentException("A key purpose is a short lower-case name (a-z, 0-9, '-', '.', '_').", nameof(purpose));
        }

        return new(PurposePrefix + purpose);
    }

    internal static KeyScope FromName(string name) => new(name);

    public override string ToString() => Name;
}
