using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;

namespace Guichet.Privacy.Masking;

/// <summary>What a role gets of a personal field.</summary>
public enum FieldAccess
{
    /// <summary>Nothing: the field is not shown at all.</summary>
    None,

    /// <summary>The masked view only.</summary>
    Masked,

    /// <summary>The masked view, and the full value through an audited reveal with a purpose.</summary>
    MaskedMayReveal,
}

/// <summary>
/// The one place that decides what each role sees of each category (DESIGN §1). Masking,
/// reveal and the data register all read it.
/// </summary>
public static class PersonalDataPolicy
{
    public static FieldAccess For(StaffRole role, PersonalDataCategory category) => role switch
    {
        // Calls tickets at a window: masked basics only.
        StaffRole.CounterStaff => category is PersonalDataCategory.Name or PersonalDataCategory.Phone or PersonalDataCategory.NationalId
            ? FieldAccess.Masked
            : FieldAccess.None,

        // Looks customers up, books and calls them: may reveal contact data with a purpose.
        StaffRole.ServiceAgent => category switch
        {
            PersonalDataCategory.Recording => FieldAccess.None,
            PersonalDataCategory.Name or PersonalDataCategory.Phone or PersonalDataCategory.Email or PersonalDataCategory.FreeText or PersonalDataCategory.NationalId
                => FieldAccess.MaskedMayReveal,
            _ => FieldAccess.Masked,
        },

        // Reviews call records and recordings; cannot change customer data.
        StaffRole.QualityInspector => category switch
        {
            PersonalDataCategory.Recording or PersonalDataCategory.FreeText => FieldAccess.MaskedMayReveal,
            PersonalDataCategory.Name or PersonalDataCategory.Phone => FieldAccess.Masked,
            _ => FieldAccess.None,
        },

        // Handles data-subject requests.
        StaffRole.PrivacyOfficer => FieldAccess.MaskedMayReveal,

        // Desensitized reports only; separation of duties for the others.
        StaffRole.BranchManager or StaffRole.SecurityAuditor or StaffRole.Administrator or StaffRole.Operator => FieldAccess.None,
        _ => FieldAccess.None,
    };

    public static bool MayReveal(StaffRole role, PersonalDataCategory category) => For(role, category) == FieldAccess.MaskedMayReveal;
}
