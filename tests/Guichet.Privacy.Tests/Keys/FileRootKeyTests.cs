using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Tests.Infrastructure;

namespace Guichet.Privacy.Tests.Keys;

public class FileRootKeyTests
{
    private const int FastIterations = 1_000;
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("test-context");

    [Fact]
    public void First_run_creates_an_owner_only_key_file_in_its_own_folder()
    {
        using var temp = new TempDirectory();
        var keys = temp.Combine("keys");

        using var rootKey = FileRootKey.OpenOrCreate(keys, passphrase: null, FastIterations, out var created);

        Assert.True(created);
        var file = Path.Combine(keys, FileRootKey.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.True(rootKey.IsUnsealedFile);
    }

    [Fact]
    public void Reopened_key_file_unwraps_what_it_wrapped()
    {
        using var temp = new TempDirectory();
        var secret = RandomNumberGenerator.GetBytes(32);
        byte[] wrapped;
        using (var first = FileRootKey.OpenOrCreate(temp.Path, null, FastIterations, out _))
        {
            wrapped = first.Wrap(secret, Context);
        }

        using var second = FileRootKey.OpenOrCreate(temp.Path, null, FastIterations, out var created);
        Assert.False(created);
        Assert.Equal(secret, second.Unwrap(wrapped, Context));
        Assert.ThrowsAny<CryptographicException>(() => second.Unwrap(wrapped, Encoding.ASCII.GetBytes("other-context")));
    }

    [Fact]
    public void Sealed_key_file_needs_the_right_passphrase_and_says_so_clearly()
    {
        using var temp = new TempDirectory();
        var secret = RandomNumberGenerator.GetBytes(32);
        byte[] wrapped;
        using (var sealedKey = FileRootKey.OpenOrCreate(temp.Path, "correct horse battery staple", FastIterations, out _))
        {
            Assert.False(sealedKey.IsUnsealedFile);
            wrapped = sealedKey.Wrap(secret, Context);
        }

        var text = File.ReadAllText(Path.Combine(temp.Path, FileRootKey.FileName));
        Assert.DoesNotContain("\"key\"", text, StringComparison.Ordinal);

        var wrong = Assert.Throws<KeyProviderException>(() => FileRootKey.OpenOrCreate(temp.Path, "wrong passphrase", FastIterations, out _));
        Assert.Contains("passphrase is wrong", wrong.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<KeyProviderException>(() => FileRootKey.OpenOrCreate(temp.Path, null, FastIterations, out _));
        Assert.Contains(PrivacyOptions.PassphraseEnvironmentVariable, missing.Message, StringComparison.Ordinal);

        using var reopened = FileRootKey.OpenOrCreate(temp.Path, "correct horse battery staple", FastIterations, out _);
        Assert.Equal(secret, reopened.Unwrap(wrapped, Context));
    }

    [Fact]
    public void Passphrase_given_later_seals_an_unsealed_file_in_place()
    {
        using var temp = new TempDirectory();
        var secret = RandomNumberGenerator.GetBytes(32);
        byte[] wrapped;
        using (var unsealed = FileRootKey.OpenOrCreate(temp.Path, null, FastIterations, out _))
        {
            wrapped = unsealed.Wrap(secret, Context);
        }

        using (var nowSealed = FileRootKey.OpenOrCreate(temp.Path, "a new passphrase", FastIterations, out _))
        {
            Assert.False(nowSealed.IsUnsealedFile);
        }

        Assert.Throws<KeyProviderException>(() => FileRootKey.OpenOrCreate(temp.Path, null, FastIterations, out _));
        using var reopened = FileRootKey.OpenOrCreate(temp.Path, "a new passphrase", FastIterations, out _);
        Assert.Equal(secret, reopened.Unwrap(wrapped, Context));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(temp.Path, FileRootKey.FileName)));
    }

    [Fact]
    public void Key_file_readable_by_others_is_refused()
    {
        using var temp = new TempDirectory();
        FileRootKey.OpenOrCreate(temp.Path, null, FastIterations, out _).Dispose();
        var file = Path.Combine(temp.Path, FileRootKey.FileName);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var ex = Assert.Throws<KeyProviderException>(() => FileRootKey.OpenOrCreate(temp.Path, null, FastIterations, out _));
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passphrase_file_seals_a_new_key_with_the_documented_work_factor()
    {
        using var temp = new TempDirectory();
        var passphraseFile = temp.Combine("passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, "test passphrase\n");

        await using (await PrivacyTestHost.StartAsync(temp.Combine("data"), new Dictionary<string, string?> { ["Privacy:PassphraseFile"] = passphraseFile }))
        {
        }

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(temp.Combine("data", "keys", FileRootKey.FileName)));
        Assert.Equal(PrivacyOptions.DefaultPassphraseIterations, document.RootElement.GetProperty("iterations").GetInt32());
        Assert.Equal(600_000, PrivacyOptions.DefaultPassphraseIterations);
        Assert.Equal("pbkdf2-sha256+aes-256-gcm", document.RootElement.GetProperty("protection").GetString());
    }

    [Fact]
    public async Task Starting_with_an_unsealed_key_file_logs_a_warning()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);

        Assert.Contains(host.Logs.GetSnapshot(), record => record.Id.Id == 3003 && record.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Starting_with_a_passphrase_logs_no_unsealed_warning()
    {
        using var temp = new TempDirectory();
        var passphraseFile = temp.Combine("passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, "test passphrase");

        await using var host = await PrivacyTestHost.StartAsync(temp.Combine("data"), new Dictionary<string, string?>
        {
            ["Privacy:PassphraseFile"] = passphraseFile,
            ["Privacy:PassphraseIterations"] = "100000",
        });

        Assert.DoesNotContain(host.Logs.GetSnapshot(), record => record.Id.Id == 3003);
    }
}
