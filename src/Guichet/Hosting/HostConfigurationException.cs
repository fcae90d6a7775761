namespace Guichet.Hosting;

/// <summary>The host cannot start with the configuration it was given; the message says what to fix.</summary>
internal sealed class HostConfigurationException : Exception
{
    public HostConfigurationException(string message)
        : base(message)
    {
    }

    public HostConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
