namespace Guichet.Hosting;

/// <summary>
/// What every CLI verb shares with <c>serve</c>: where the data lives and how the
/// configuration was given. Built once from the command line.
/// </summary>
/// <param name="DataDirectory">Absolute path of the data directory (database, keys, certificate).</param>
/// <param name="Urls">Listening URLs for <c>serve</c>; ignored by other verbs.</param>
/// <param name="CertificatePath">A PFX or PEM certificate for TLS; null to use (or create) the data directory's own.</param>
/// <param name="CertificateKeyPath">The PEM private key when <paramref name="CertificatePath"/> is a PEM certificate without its key.</param>
/// <param name="Demo">Seed a demo branch on start.</param>
/// <param name="EnvironmentName">ASP.NET Core environment name; Production unless overridden.</param>
public sealed record HostSettings(
    string DataDirectory,
    IReadOnlyList<string> Urls,
    string? CertificatePath = null,
    string? CertificateKeyPath = null,
    bool Demo = false,
    string? EnvironmentName = null)
{
    public const string DefaultUrls = "https://localhost:5443;http://localhost:5080";

    public string DatabasePath => Path.Combine(DataDirectory, "guichet.db");
}
