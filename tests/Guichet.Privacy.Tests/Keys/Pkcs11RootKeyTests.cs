using System.Security.Cryptography;
using System.Text;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Tests.Infrastructure;

namespace Guichet.Privacy.Tests.Keys;

[Collection(SoftHsmTokenGroup.Name)]
public class Pkcs11RootKeyTests(SoftHsmFixture token)
{
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("test-context");

    [Fact]
    public void Root_key_is_generated_in_the_token_sensitive_and_non_extractable_and_wraps_there()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        using var rootKey = Pkcs11RootKey.Open(SoftHsmFixture.Module, SoftHsmFixture.TokenLabel, SoftHsmFixture.Pin, "test-kek-attributes");

        Assert.Equal((true, false), rootKey.KeyAttributes());
        var wrapped = rootKey.Wrap(secret, Context);
        Assert.False(wrapped.AsSpan().IndexOf(secret) >= 0);
        Assert.Equal(secret, rootKey.Unwrap(wrapped, Context));
        Assert.ThrowsAny<CryptographicException>(() => rootKey.Unwrap(wrapped, Encoding.ASCII.GetBytes("another-context")));
    }

    [Fact]
    public void Root_key_stays_in_the_token_between_sessions()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        byte[] wrapped;
        using (var first = Pkcs11RootKey.Open(SoftHsmFixture.Module, SoftHsmFixture.TokenLabel, SoftHsmFixture.Pin, "test-kek-persisted"))
        {
            wrapped = first.Wrap(secret, Context);
        }

        using var second = Pkcs11RootKey.Open(SoftHsmFixture.Module, SoftHsmFixture.TokenLabel, SoftHsmFixture.Pin, "test-kek-persisted");
        Assert.Equal(secret, second.Unwrap(wrapped, Context));
    }

    [Fact]
    public void Wrong_pin_is_a_clear_error()
    {
        var ex = Assert.Throws<KeyProviderException>(() => Pkcs11RootKey.Open(SoftHsmFixture.Module, SoftHsmFixture.TokenLabel, "000000", "test-kek"));
        Assert.Contains($"PIN for PKCS#11 token '{SoftHsmFixture.TokenLabel}' is wrong", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_token_is_a_clear_error()
    {
        var ex = Assert.Throws<KeyProviderException>(() => Pkcs11RootKey.Open(SoftHsmFixture.Module, "no-such-token", SoftHsmFixture.Pin, "test-kek"));
        Assert.Contains("No PKCS#11 token labelled 'no-such-token'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_module_is_a_clear_error()
    {
        var ex = Assert.Throws<KeyProviderException>(() => Pkcs11RootKey.Open("/nonexistent/libpkcs11.so", SoftHsmFixture.TokenLabel, SoftHsmFixture.Pin, "test-kek"));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kernel_configured_for_the_token_protects_and_reveals()
    {
        using var temp = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Privacy:KeyProvider"] = "Pkcs11",
            ["Privacy:Pkcs11:Module"] = SoftHsmFixture.Module,
            ["Privacy:Pkcs11:TokenLabel"] = SoftHsmFixture.TokenLabel,
            ["Privacy:Pkcs11:PinFile"] = token.PinFile,
            ["Privacy:Pkcs11:KeyLabel"] = "test-kek-kernel",
        };
        var field = new FieldRef("ticket", "phone", "1");
        ProtectedPhone stored;
        await using (var host = await PrivacyTestHost.StartAsync(temp.Path, settings))
        {
            stored = await host.Get<IPersonalDataProtector>().ProtectPhoneAsync("13800138000", field, KeyScope.Subject("customer-1"));
            Assert.False(File.Exists(temp.Combine("keys", FileRootKey.FileName)));
        }

        // A new process state: data keys are unwrapped again by the token.
        await using (var host = await PrivacyTestHost.StartAsync(temp.Path, settings))
        {
            var result = await host.Get<IRevealService>().RevealAsync(new RevealRequest(
                new AuditActor(AuditActorKind.Staff, "agent-1"), StaffRole.ServiceAgent, PersonalDataCategory.Phone, field, stored.Ciphertext, "call back"));
            Assert.Equal(RevealStatus.Revealed, result.Status);
            Assert.Equal("+8613800138000", result.Value);
        }
    }

    [Fact]
    public async Task Kernel_with_a_wrong_pin_fails_at_start_with_the_reason()
    {
        using var temp = new TempDirectory();
        var ex = await Assert.ThrowsAsync<KeyProviderException>(() => PrivacyTestHost.StartAsync(temp.Path, new Dictionary<string, string?>
        {
            ["Privacy:KeyProvider"] = "Pkcs11",
            ["Privacy:Pkcs11:TokenLabel"] = SoftHsmFixture.TokenLabel,
            ["Privacy:Pkcs11:PinFile"] = token.WrongPinFile,
        }));
        Assert.Contains("is wrong", ex.Message, StringComparison.Ordinal);
    }
}
