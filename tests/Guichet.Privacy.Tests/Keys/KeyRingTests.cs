using System.Security.Cryptography;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Storage;
using Guichet.Privacy.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Guichet.Privacy.Tests.Keys;

public class KeyRingTests
{
    [Fact]
    public async Task Data_keys_are_unwrapped_once_then_served_from_memory()
    {
        using var temp = new TempDirectory();
        var database = KeyStoreDatabase.Sqlite($"Data Source={temp.Combine("keyring.db")}");
        await database.PrepareAsync(applyMigrations: true, CancellationToken.None);
        using var file = FileRootKey.OpenOrCreate(temp.Combine("keys"), null, 1000, out _);
        var counting = new CountingRootKey(file);
        var time = new FakeTimeProvider();
        var scope = KeyScope.Purpose("staff-notes");
        var field = new FieldRef("note", "text", "1");

        var writer = new KeyRing(new RootKeyHolder(counting), database, time, NullLogger<KeyRing>.Instance);
        var ciphertext = (await writer.GetCurrentAsync(scope)).EncryptString("Test note", field);

        var reader = new KeyRing(new RootKeyHolder(counting), database, time, NullLogger<KeyRing>.Instance);
        for (var i = 0; i < 100; i++)
        {
            FieldFormat.TryReadKey(ciphertext, out var keyId, out var version);
            Assert.Equal("Test note", (await reader.GetAsync(keyId, version)).DecryptString(ciphertext, field));
        }

        Assert.Equal(1, counting.Unwraps);
    }

    [Fact]
    public async Task Wrapped_keys_are_stored_wrapped_and_bound_to_their_id_and_version()
    {
        using var temp = new TempDirectory();
        var database = KeyStoreDatabase.Sqlite($"Data Source={temp.Combine("keyring.db")}");
        await database.PrepareAsync(applyMigrations: true, CancellationToken.None);
        using var file = FileRootKey.OpenOrCreate(temp.Combine("keys"), null, 1000, out _);
        var ring = new KeyRing(new RootKeyHolder(new CountingRootKey(file)), database, new FakeTimeProvider(), NullLogger<KeyRing>.Instance);
        var a = await ring.GetCurrentAsync(KeyScope.Purpose("a"));
        var b = await ring.GetCurrentAsync(KeyScope.Purpose("b"));
        var field = new FieldRef("note", "text", "1");
        var ciphertext = b.EncryptString("Test note", field);

        // Swap the wrapped keys of a and b in storage: neither unwraps under the other's id.
        await using (var context = database.Open())
        {
            var versions = await context.DataKeyVersions.OrderBy(v => v.KeyId).ToListAsync();
            Assert.DoesNotContain(versions, v => v.WrappedKey.AsSpan().IndexOf(a.Material) >= 0);
            (versions[0].WrappedKey, versions[1].WrappedKey) = (versions[1].WrappedKey, versions[0].WrappedKey);
            await context.SaveChangesAsync();
        }

        var fresh = new KeyRing(new RootKeyHolder(new CountingRootKey(file)), database, new FakeTimeProvider(), NullLogger<KeyRing>.Instance);
        var ex = await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => fresh.GetAsync(b.KeyId, b.Version).AsTask());
        Assert.Equal(UnreadableReason.UnknownKey, ex.Reason);
        Assert.NotNull(ciphertext);
    }

    [Fact]
    public async Task Rotation_adds_a_version_for_new_writes_and_old_values_still_read()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var ring = host.Get<KeyRing>();
        var scope = KeyScope.Purpose("staff-notes");
        var field = new FieldRef("note", "text", "1");
        var v1 = await ring.GetCurrentAsync(scope);
        var old = v1.EncryptString("Test note", field);

        Assert.Equal(1, await ring.RotateAsync(null, CancellationToken.None));
        var v2 = await ring.GetCurrentAsync(scope);

        Assert.Equal((v1.KeyId, 2u), (v2.KeyId, v2.Version));
        FieldFormat.TryReadKey(old, out var keyId, out var version);
        Assert.Equal("Test note", (await ring.GetAsync(keyId, version)).DecryptString(old, field));
    }

    [Fact]
    public async Task Key_ring_is_an_owner_only_database_in_the_key_folder_apart_from_the_data()
    {
        using var temp = new TempDirectory();
        await using (var host = await PrivacyTestHost.StartAsync(temp.Path))
        {
            await host.Get<KeyRing>().GetCurrentAsync(KeyScope.Subject("customer-1"));
        }

        var keyRing = temp.Combine("keys", "keyring.db");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyRing));
        Assert.False(File.Exists(temp.Combine("guichet.db")));

        // Opening an existing key ring (a second start) works too.
        await using var again = await PrivacyTestHost.StartAsync(temp.Path);
        Assert.Contains(await again.Get<KeyRing>().ListVersionsAsync(CancellationToken.None), v => v.Scope == KeyScope.Subject("customer-1"));
    }

    [Fact]
    public async Task Unknown_key_id_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);

        var ex = await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => host.Get<KeyRing>().GetAsync(999, 1).AsTask());
        Assert.Equal(UnreadableReason.UnknownKey, ex.Reason);
        Assert.Contains("Key 999 is not in this key ring", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_sealer_round_trips_per_purpose_under_the_root_key()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var sealer = host.Get<ISecretSealer>();
        var secret = RandomNumberGenerator.GetBytes(32);

        var sealedSecret = sealer.Seal(secret, "audit-checkpoint-key");

        Assert.Equal(secret, sealer.Unseal(sealedSecret, "audit-checkpoint-key"));
        Assert.ThrowsAny<CryptographicException>(() => sealer.Unseal(sealedSecret, "backup-key"));
        Assert.True(sealedSecret.AsSpan().IndexOf(secret) < 0);
    }

    private sealed class CountingRootKey(IRootKey inner) : IRootKey
    {
        public int Unwraps { get; private set; }

        public string Description => inner.Description;

        public bool IsUnsealedFile => inner.IsUnsealedFile;

        public byte[] Wrap(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> context) => inner.Wrap(secret, context);

        public byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context)
        {
            Unwraps++;
            return inner.Unwrap(wrapped, context);
        }

        public void Dispose()
        {
        }
    }
}
