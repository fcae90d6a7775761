using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Storage;
using Guichet.Privacy.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Guichet.Privacy.Tests.Keys;

public class SubjectKeyPoolTests
{
    private const string Phone = "+8613800000000";

    [Fact]
    public async Task A_new_subject_comes_with_a_key_already_stored_and_nothing_more_is_written_to_protect_under_it()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var subject = await host.Get<IDataSubjects>().NewAsync();
        var keysBefore = await CountKeysAsync(host);

        var field = new FieldRef("ticket", "phone", "1");
        var phone = await host.Get<IPersonalDataProtector>().ProtectPhoneAsync(Phone, field, KeyScope.Subject(subject));

        Assert.Equal(keysBefore, await CountKeysAsync(host));
        FieldFormat.TryReadKey(phone.Ciphertext, out var keyId, out _);
        await using (var context = host.Get<KeyStoreDatabase>().Open())
        {
            var stored = await context.DataKeys.SingleAsync(k => k.Scope == KeyScope.Subject(subject).Name);
            Assert.Equal((int)keyId, stored.Id);
        }

        // Another process, with nothing cached, reads it from the key ring alone.
        var other = new KeyRing(host.Get<RootKeyHolder>(), host.Get<KeyStoreDatabase>(), host.Time, NullLogger<KeyRing>.Instance);
        FieldFormat.TryReadKey(phone.Ciphertext, out var id, out var version);
        Assert.Equal(Phone, (await other.GetAsync(id, version)).DecryptString(phone.Ciphertext, field));
    }

    [Fact]
    public async Task Subjects_asked_for_at_once_each_get_their_own_id_and_key()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var subjects = host.Get<IDataSubjects>();

        var ids = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Task.Run(async () => await subjects.NewAsync())));

        Assert.Equal(300, ids.Distinct(StringComparer.Ordinal).Count());
        var ring = host.Get<KeyRing>();
        var keyIds = new HashSet<uint>();
        foreach (var id in ids)
        {
            Assert.True(ring.TryGetCurrentCached(KeyScope.Subject(id), out var key));
            Assert.True(keyIds.Add(key.KeyId));
        }
    }

    [Fact]
    public async Task Keys_made_for_subjects_that_never_came_are_deleted_when_the_host_stops()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var pool = host.Get<SubjectKeyPool>();
        var handedOut = new[] { await pool.NewAsync(), await pool.NewAsync(), await pool.NewAsync() };
        Assert.True(pool.Spare > 0);

        await pool.StopAsync(CancellationToken.None);

        await using var context = host.Get<KeyStoreDatabase>().Open();
        var subjectScopes = await context.DataKeys.Where(k => k.Scope.StartsWith(KeyScope.SubjectPrefix)).Select(k => k.Scope).ToListAsync();
        Assert.Equal(handedOut.Select(id => KeyScope.Subject(id).Name).Order(), subjectScopes.Order());
        var keyIds = await context.DataKeys.Select(k => k.Id).ToListAsync();
        Assert.All(await context.DataKeyVersions.Select(v => v.KeyId).ToListAsync(), keyId => Assert.Contains(keyId, keyIds));
    }

    [Fact]
    public async Task A_subject_made_before_a_rotation_seen_too_late_to_trust_protects_under_the_new_version()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var subjects = host.Get<IDataSubjects>();
        await subjects.NewAsync();

        // Another process rotates every key, the spare subjects' too; this one learns of it
        // only by looking again after the refresh interval.
        var other = new KeyRing(host.Get<RootKeyHolder>(), host.Get<KeyStoreDatabase>(), host.Time, NullLogger<KeyRing>.Instance);
        Assert.True(await other.RotateAsync(null, CancellationToken.None) > 1);
        host.Time.Advance(KeyRing.RefreshInterval);

        var subject = await subjects.NewAsync();
        var phone = await host.Get<IPersonalDataProtector>().ProtectPhoneAsync(Phone, new FieldRef("ticket", "phone", "2"), KeyScope.Subject(subject));

        FieldFormat.TryReadKey(phone.Ciphertext, out _, out var version);
        Assert.Equal(2u, version);
    }

    [Theory]
    [InlineData(0, 1_000, SubjectKeyPool.MinBatch)]
    [InlineData(5, 10_000, SubjectKeyPool.MinBatch)]
    [InlineData(100, 1_000, 100)]
    [InlineData(50, 500, 100)]
    [InlineData(16, 5, SubjectKeyPool.MaxBatch)]
    [InlineData(3_000, 1_000, SubjectKeyPool.MaxBatch)]
    [InlineData(1, 0, SubjectKeyPool.MaxBatch)]
    [InlineData(0, 0, SubjectKeyPool.MinBatch)]
    public void A_batch_holds_about_a_second_of_recent_demand(long handedOut, int milliseconds, int expected) =>
        Assert.Equal(expected, SubjectKeyPool.BatchFor(handedOut, TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public async Task A_rush_gets_large_batches_and_a_quiet_hall_small_ones_again()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var pool = host.Get<SubjectKeyPool>();
        var subjects = host.Get<IDataSubjects>();

        // A rush: many new customers within the same instant.
        for (var i = 0; i < 40; i++)
        {
            await subjects.NewAsync();
        }

        Assert.Equal(SubjectKeyPool.MaxBatch, pool.Batch);

        // Then one new customer every ten seconds, until the spare keys call for a refill.
        for (var i = 0; i < SubjectKeyPool.MaxBatch + 10 && pool.Batch == SubjectKeyPool.MaxBatch; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(10));
            await subjects.NewAsync();
        }

        Assert.Equal(SubjectKeyPool.MinBatch, pool.Batch);
    }

    [Fact]
    public async Task Subject_keys_cached_longer_than_the_refresh_interval_are_dropped()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var ring = host.Get<KeyRing>();
        for (var i = 0; i < 50; i++)
        {
            await ring.GetCurrentAsync(KeyScope.Subject($"cached-{i}"));
        }

        Assert.True(ring.CachedCount.Current >= 50);
        host.Time.Advance(KeyRing.RefreshInterval);

        await ring.GetCurrentAsync(KeyScope.Subject("cached-new"));

        // Left: the new subject's key, and purpose keys (the blind-index root), which stay.
        Assert.True(ring.CachedCount.Current <= 3, $"{ring.CachedCount.Current} current keys are still cached");
        Assert.True(ring.CachedCount.Versions <= 3, $"{ring.CachedCount.Versions} key versions are still cached");
        Assert.True(ring.TryGetCurrentCached(KeyScope.Subject("cached-new"), out _));
    }

    [Fact]
    public async Task When_the_key_ring_takes_no_writes_a_new_subject_fails_and_the_failure_is_logged()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        await using (var context = host.Get<KeyStoreDatabase>().Open())
        {
            await context.Database.ExecuteSqlRawAsync("DROP TABLE privacy_data_key_versions");
        }

        await Assert.ThrowsAnyAsync<Exception>(async () => await host.Get<IDataSubjects>().NewAsync());

        Assert.Contains(host.Logs.GetSnapshot(), record => record.Id.Id == 3012);
        Assert.Equal(0, host.Get<SubjectKeyPool>().Spare);
    }

    private static async Task<int> CountKeysAsync(PrivacyTestHost host)
    {
        await using var context = host.Get<KeyStoreDatabase>().Open();
        return await context.DataKeys.CountAsync();
    }
}
