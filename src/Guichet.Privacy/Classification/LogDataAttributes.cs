using Microsoft.Extensions.Compliance.Classification;

namespace Guichet.Privacy.Classification;

// Log-parameter classifications of the Guichet taxonomy. The logging source generator
// instantiates these attributes with no arguments, hence one class per category; AddPrivacy
// maps Phone and NationalId to masking redactors and erases every other one.

/// <summary>A log parameter holding a person's name.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class NameDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.Name));

/// <summary>A log parameter holding a phone number.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class PhoneDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.Phone));

/// <summary>A log parameter holding an identity document number.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class NationalIdDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.NationalId));

/// <summary>A log parameter holding an e-mail address.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class EmailDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.Email));

/// <summary>A log parameter holding a postal address.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class AddressDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.Address));

/// <summary>A log parameter holding a birth date.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class BirthDateDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.BirthDate));

/// <summary>A log parameter holding free text about a person (notes, messages).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class FreeTextDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.FreeText));

/// <summary>A log parameter holding a recording or its transcript.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class RecordingDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.Recording));

/// <summary>A log parameter holding other personal data.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class OtherDataAttribute() : DataClassificationAttribute(GuichetTaxonomy.For(PersonalDataCategory.Other));
