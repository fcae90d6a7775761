using Guichet.Privacy.Classification;
using Guichet.Privacy.Protection;

namespace Guichet.Customers.Domain;

/// <summary>
/// A customer (data subject). Every personal field is ciphertext from the privacy kernel under
/// the customer's own key (<see cref="SubjectId"/>) and bound to this row; phone and ID number
/// carry blind indexes so staff find a customer without decrypting anyone else.
/// </summary>
[PersonalDataEntity(Entity)]
internal sealed class Customer
{
    public const string Entity = "customer";
    public const string NameField = "name";
    public const string PhoneField = "phone";
    public const string IdNumberField = "id-number";
    public const string NoteField = "note";
    public const int BranchIdMaxLength = 64;

    /// <summary>Value of <see cref="BranchId"/> for a customer every branch may find (honeytokens, central registrations).</summary>
    public const string SharedBranch = "*";

    /// <summary>Chosen before saving: it is bound into every field's ciphertext.</summary>
    public Guid Id { get; set; }

    [NotPersonalData("Pseudonymous id of the customer's data key (crypto-shredding)")]
    public required string SubjectId { get; set; }

    [NotPersonalData("The branch that registered the customer; staff see customers of their branches")]
    public required string BranchId { get; set; }

    [PersonalData(PersonalDataCategory.Name, Purpose = "Address the customer and confirm who they are", Retention = "Until the customer is erased")]
    public required byte[] Name { get; set; }

    [PersonalData(PersonalDataCategory.Phone, Purpose = "Find the customer and call them back", Retention = "Until the customer is erased")]
    public required byte[] Phone { get; set; }

    [BlindIndexColumn(nameof(Phone), PhoneIndexes.Full)]
    public required byte[] PhoneIndex { get; set; }

    [BlindIndexColumn(nameof(Phone), PhoneIndexes.LastFour)]
    public required byte[] PhoneLastFour { get; set; }

    [PersonalData(PersonalDataCategory.NationalId, Purpose = "Verify identity for services that require it", Retention = "Until the customer is erased")]
    public byte[]? IdNumber { get; set; }

    [BlindIndexColumn(nameof(IdNumber), PhoneIndexes.Full)]
    public byte[]? IdNumberIndex { get; set; }

    [PersonalData(PersonalDataCategory.FreeText, Purpose = "What staff need to remember to serve the customer", Retention = "Until the customer is erased")]
    public byte[]? Note { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: two edits of one customer do not silently overwrite each other.</summary>
    public int Version { get; set; }
}
