using Guichet.Privacy.Classification;

namespace Guichet.Privacy.Indexing;

/// <summary>
/// A value is not a valid phone number, ID number, etc. The message says what is wrong in
/// words an operator or a kiosk user can act on; it never repeats the value.
/// </summary>
public sealed class InvalidPersonalDataException : ArgumentException
{
    public InvalidPersonalDataException()
    {
    }

    public InvalidPersonalDataException(string message)
        : base(message)
    {
    }

    public InvalidPersonalDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidPersonalDataException(PersonalDataCategory category, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
    }

    public PersonalDataCategory Category { get; }
}
