using System.Security.Cryptography;

namespace Guichet.Privacy.Crypto;

/// <summary>A protected value could not be decrypted. The message never holds the value.</summary>
public sealed class PersonalDataUnreadableException : CryptographicException
{
    public PersonalDataUnreadableException()
    {
    }

    public PersonalDataUnreadableException(string message)
        : base(message)
    {
    }

    public PersonalDataUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PersonalDataUnreadableException(UnreadableReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public UnreadableReason Reason { get; }
}

public enum UnreadableReason
{
    /// <summary>Altered, truncated, or moved from another row, field or entity.</summary>
    IntegrityFailure,

    /// <summary>Not a ciphertext of a known format version.</summary>
    UnknownFormat,

    /// <summary>The key id or version is not in the key ring (retired or foreign).</summary>
    UnknownKey,

    /// <summary>The data subject was erased: their key was destroyed.</summary>
    Erased,
}
