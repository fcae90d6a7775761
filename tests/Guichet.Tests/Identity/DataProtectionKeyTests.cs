using System.Security.Cryptography;
using Guichet.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Identity;

/// <summary>ASP.NET Core data-protection keys (cookies, anti-forgery, authenticator secrets) at rest.</summary>
public sealed class DataProtectionKeyTests
{
    [Fact]
    public async Task Keys_are_sealed_under_the_root_key_private_and_survive_a_restart()
    {
        var dataDirectory = TestDirectories.Create();
        string protectedValue;
        await using (var first = await GuichetServer.StartAsync(dataDirectory))
        {
            protectedValue = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("Test value 0001");
        }

        var keyFiles = Directory.GetFiles(Path.Combine(dataDirectory, "dataprotection"), "*.xml");
        Assert.NotEmpty(keyFiles);
        foreach (var file in keyFiles)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains("<sealedKey", xml, StringComparison.Ordinal);
            Assert.Contains("SealedXmlDecryptor", xml, StringComparison.Ordinal);
            // The key material element of an unprotected key.
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        await using var second = await GuichetServer.StartAsync(dataDirectory);
        Assert.Equal("Test value 0001", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedValue));
    }

    [Fact]
    public async Task Keys_do_not_open_under_another_root_key()
    {
        var dataDirectory = TestDirectories.Create();
        string protectedValue;
        await using (var first = await GuichetServer.StartAsync(dataDirectory))
        {
            protectedValue = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("Test value 0002");
        }

        // A copy of the data-protection keys beside another installation's root key.
        var other = TestDirectories.Create();
        await using (var _ = await GuichetServer.StartAsync(other))
        {
        }

        foreach (var file in Directory.GetFiles(Path.Combine(other, "dataprotection")))
        {
            File.Delete(file);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(dataDirectory, "dataprotection")))
        {
            File.Copy(file, Path.Combine(other, "dataprotection", Path.GetFileName(file)));
        }

        await using var stranger = await GuichetServer.StartAsync(other);
        Assert.ThrowsAny<CryptographicException>(() => stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedValue));
    }
}
