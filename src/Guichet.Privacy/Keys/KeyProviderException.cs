namespace Guichet.Privacy.Keys;

/// <summary>
/// The root key could not be opened: wrong passphrase, missing token, wrong PIN, unreadable
/// key file. The message names what is wrong and how to fix it; it never holds key material.
/// </summary>
public sealed class KeyProviderException : Exception
{
    public KeyProviderException()
    {
    }

    public KeyProviderException(string message)
        : base(message)
    {
    }

    public KeyProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
