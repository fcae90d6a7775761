using Microsoft.Extensions.Compliance.Classification;

namespace Guichet.Privacy.Classification;

/// <summary>
/// Marks a stored property (a ciphertext column) as personal data of a category, with the
/// purpose it is collected for and how long it is kept. The data register is generated from
/// these attributes. Log parameters use the per-category attributes of the same taxonomy
/// (<see cref="PhoneDataAttribute"/>, ...), which the logging source generator can instantiate.
/// </summary>
/// <remarks>
/// A classified entity property must be a <c>byte[]</c> holding the kernel's ciphertext:
/// <see cref="PersonalDataModelCheck"/> fails on a classified <c>string</c> column (plaintext at rest).
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class PersonalDataAttribute(PersonalDataCategory category) : Attribute
{
    public PersonalDataCategory Category { get; } = category;

    /// <summary>The same category in the redaction taxonomy.</summary>
    public DataClassification Classification => GuichetTaxonomy.For(Category);

    /// <summary>Defaults by category: identity numbers and recordings are sensitive (PIPL art. 28).</summary>
    public Sensitivity Sensitivity { get; init; } = category is PersonalDataCategory.NationalId or PersonalDataCategory.Recording
        ? Sensitivity.Sensitive
        : Sensitivity.Personal;

    /// <summary>Why it is collected, in words for the data register (e.g. "call the customer back when their ticket is called").</summary>
    public string Purpose { get; init; } = string.Empty;

    /// <summary>How long it is kept (e.g. "30 days after the ticket closes").</summary>
    public string Retention { get; init; } = string.Empty;
}

/// <summary>A <c>byte[]</c> column holding a blind index of a classified property of the same entity.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class BlindIndexColumnAttribute(string indexedProperty, string index) : Attribute
{
    public string IndexedProperty { get; } = indexedProperty;

    /// <summary>Index name, e.g. <see cref="Protection.PhoneIndexes.Full"/> or <see cref="Protection.PhoneIndexes.LastFour"/>.</summary>
    public string Index { get; } = index;
}

/// <summary>States that a string or binary property of a personal-data entity holds no personal data, and why.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class NotPersonalDataAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Marks an entity that holds personal data and names it as bound into ciphertext
/// (<see cref="Crypto.FieldRef.Entity"/>). Entities with a <see cref="PersonalDataAttribute"/>
/// property count as personal-data entities even without it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PersonalDataEntityAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
