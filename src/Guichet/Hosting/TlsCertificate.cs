using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Guichet.Hosting;

/// <summary>
/// Finds the server's TLS certificate: the one the operator names (PFX or PEM), or the data
/// directory's own self-signed certificate for localhost, created on first run.
/// </summary>
internal static class TlsCertificate
{
    internal const string SelfSignedFileName = "localhost.pfx";

    /// <summary>Loads the certificate to serve with; <paramref name="created"/> tells whether a self-signed one was just made.</summary>
    public static X509Certificate2 Load(HostSettings settings, TimeProvider time, out bool created)
    {
        created = false;
        if (settings.CertificatePath is { } path)
        {
            return LoadOperatorCertificate(path, settings.CertificateKeyPath);
        }

        var directory = Path.Combine(settings.DataDirectory, "tls");
        var file = Path.Combine(directory, SelfSignedFileName);
        if (!File.Exists(file))
        {
            DataDirectory.CreatePrivateDirectory(directory);
            var pfx = CreateSelfSigned(time);
            DataDirectory.WritePrivateFile(file, pfx);
            created = true;
        }

        return X509CertificateLoader.LoadPkcs12FromFile(file, password: null);
    }

    private static X509Certificate2 LoadOperatorCertificate(string path, string? keyPath)
    {
        if (!File.Exists(path))
        {
            throw new HostConfigurationException($"The TLS certificate file '{path}' does not exist.");
        }

        try
        {
            if (path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase))
            {
                var pem = X509Certificate2.CreateFromPemFile(path, keyPath);
                // Kestrel on Linux needs the key in a PKCS#12-backed certificate, not an ephemeral one.
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        }
        catch (CryptographicException ex)
        {
            throw new HostConfigurationException($"The TLS certificate '{path}' could not be read: {ex.Message}", ex);
        }
    }

    private static byte[] CreateSelfSigned(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        return certificate.Export(X509ContentType.Pkcs12);
    }
}
