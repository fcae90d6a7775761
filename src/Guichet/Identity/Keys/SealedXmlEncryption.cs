using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Guichet.Privacy.Keys;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Guichet.Identity.Keys;

/// <summary>
/// Seals each ASP.NET Core data-protection key (cookies, anti-forgery tokens, authenticator
/// secrets) under the privacy kernel's root key before it is written to the data directory, so
/// no key XML is ever on disk in the clear. The root key is a passphrase-sealed key file or a
/// PKCS#11 token (docs/privacy.md).
/// </summary>
internal sealed class SealedXmlEncryptor(ISecretSealer sealer) : IXmlEncryptor
{
    /// <summary>Bound to the sealed bytes as associated data: a sealed secret of another purpose does not open here.</summary>
    internal const string Purpose = "aspnetcore-dataprotection-key";

    internal static readonly XName SealedElement = "sealedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var sealedKey = sealer.Seal(plaintext, Purpose);
            var element = new XElement(
                SealedElement,
                new XComment(" Sealed under Guichet's root key (key file or PKCS#11 token). "),
                new XElement("value", Convert.ToBase64String(sealedKey)));
            return new EncryptedXmlInfo(element, typeof(SealedXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Opens keys sealed by <see cref="SealedXmlEncryptor"/>. Data protection creates it by type name
/// from the key file, passing the application's services.
/// </summary>
internal sealed class SealedXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var value = encryptedElement.Name == SealedXmlEncryptor.SealedElement ? (string?)encryptedElement.Element("value") : null;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new CryptographicException("The data-protection key is not a sealed Guichet key.");
        }

        var plaintext = services.GetRequiredService<ISecretSealer>().Unseal(Convert.FromBase64String(value), SealedXmlEncryptor.Purpose);
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
