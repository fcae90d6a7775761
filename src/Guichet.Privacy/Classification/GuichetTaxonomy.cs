using Microsoft.Extensions.Compliance.Classification;

namespace Guichet.Privacy.Classification;

/// <summary>
/// The data classification taxonomy shared by storage (the register), masking and log
/// redaction: one <see cref="DataClassification"/> per <see cref="PersonalDataCategory"/>.
/// </summary>
public static class GuichetTaxonomy
{
    public const string Name = "Guichet";

    public static DataClassification For(PersonalDataCategory category) => new(Name, category.ToString());
}
