namespace Guichet.Privacy.Classification;

/// <summary>What kind of personal data a field holds; drives normalization, masks, redaction and the register.</summary>
public enum PersonalDataCategory
{
    Name,
    Phone,
    NationalId,
    Email,
    Address,
    BirthDate,
    FreeText,
    Recording,
    Other,
}

/// <summary>
/// Ordinary personal information, or sensitive personal information in the sense of PIPL
/// art. 28 (identity numbers, biometrics, health, financial accounts, minors' data).
/// </summary>
public enum Sensitivity
{
    Personal,
    Sensitive,
}
