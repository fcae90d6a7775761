using System.Globalization;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Rotation;
using Guichet.Privacy.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Privacy.Tests.Rotation;

public class RotationTests
{
    [Fact]
    public async Task Rewrap_moves_every_value_to_the_new_version_and_resumes_after_an_interruption()
    {
        using var temp = new TempDirectory();
        await using var host = await StartAsync(temp);
        var column = host.Get<InMemoryColumn>();
        await FillAsync(host, 25);
        var rotation = host.Get<KeyRotation>();
        await rotation.RotateAsync(KeyScope.Purpose("notes"), CancellationToken.None);

        var first = await rotation.RewrapAsync(batchSize: 10, progress: null, maxBatches: 1, CancellationToken.None);
        Assert.False(first.Complete);
        Assert.Equal(10, first.Rewrapped);
        Assert.Equal(10, column.Versions().Count(v => v == 2));

        var progress = new List<RewrapProgress>();
        var second = await rotation.RewrapAsync(batchSize: 10, new SynchronousProgress(progress.Add), maxBatches: null, CancellationToken.None);
        Assert.True(second.Complete);
        Assert.Equal(15, second.Rewrapped);
        Assert.Equal(15, second.Scanned);
        Assert.Equal(25, progress[^1].Total);
        Assert.All(column.Versions(), v => Assert.Equal(2u, v));
        await AssertAllReadAsync(host, column);
    }

    [Fact]
    public async Task Rewrap_of_subject_keys_skips_erased_subjects_and_altered_values_and_moves_the_rest()
    {
        using var temp = new TempDirectory();
        await using var host = await StartAsync(temp);
        var column = host.Get<InMemoryColumn>();
        var protector = host.Get<IPersonalDataProtector>();
        for (var i = 0; i < 12; i++)
        {
            var field = new FieldRef("note", "text", i.ToString(CultureInfo.InvariantCulture));
            var value = await protector.ProtectAsync(Guichet.Privacy.Classification.PersonalDataCategory.FreeText, $"Test note {i}", field, KeyScope.Subject($"subject-{i}"));
            column.Rows[field.RowId] = value.Ciphertext;
        }

        var rotation = host.Get<KeyRotation>();
        Assert.True(await rotation.RotateAsync(null, CancellationToken.None) >= 12);
        await host.Get<KeyRing>().EraseSubjectAsync("subject-3", CancellationToken.None);
        var altered = column.Rows["5"];
        altered[^1] ^= 0x01;

        var summary = await rotation.RewrapAsync(batchSize: 5, progress: null, maxBatches: null, CancellationToken.None);

        Assert.True(summary.Complete);
        Assert.Equal(12, summary.Scanned);
        Assert.Equal(10, summary.Rewrapped);

        // The erased subject's value has no key left to move to; the altered one fails its check.
        Assert.Equal(1, summary.Unreadable);
        Assert.Same(altered, column.Rows["5"]);
        var unprotector = host.Get<PersonalDataProtector>();
        foreach (var (rowId, ciphertext) in column.Rows.Where(r => r.Key is not ("3" or "5")))
        {
            FieldFormat.TryReadKey(ciphertext, out _, out var version);
            Assert.Equal(2u, version);
            Assert.Equal($"Test note {rowId}", await unprotector.UnprotectAsync(ciphertext, new FieldRef("note", "text", rowId), CancellationToken.None));
        }
    }

    [Fact]
    public async Task Old_version_is_retired_only_after_the_grace_period_and_when_nothing_uses_it()
    {
        using var temp = new TempDirectory();
        await using var host = await StartAsync(temp);
        var column = host.Get<InMemoryColumn>();
        await FillAsync(host, 5);
        var rotation = host.Get<KeyRotation>();
        await rotation.RotateAsync(null, CancellationToken.None);

        var early = await rotation.RewrapAsync(100, null, null, CancellationToken.None);
        Assert.True(early.Complete);
        Assert.Empty(early.Retired);

        // A concurrent writer keeps row 3 on the old version: the version must stay.
        await rotation.RotateAsync(null, CancellationToken.None);
        column.RefuseUpdatesTo = "3";
        host.Time.Advance(KeyRotation.RetireGracePeriod + TimeSpan.FromSeconds(1));
        var blocked = await rotation.RewrapAsync(100, null, null, CancellationToken.None);
        Assert.DoesNotContain(blocked.Retired, v => v.Version == 2);
        Assert.Contains(blocked.Retired, v => v.Version == 1);

        column.RefuseUpdatesTo = null;
        var done = await rotation.RewrapAsync(100, null, null, CancellationToken.None);
        Assert.Contains(done.Retired, v => v.Version == 2);

        var status = await rotation.StatusAsync(CancellationToken.None);
        var notes = status.Where(s => s.Version.Scope == KeyScope.Purpose("notes")).ToList();
        Assert.Equal([(1u, 0L, true), (2u, 0L, true), (3u, 5L, false)], notes.Select(s => (s.Version.Version, s.Values, s.Version.RetiredAt is not null)));
        await AssertAllReadAsync(host, column);
    }

    [Fact]
    public async Task Status_counts_values_per_key_version()
    {
        using var temp = new TempDirectory();
        await using var host = await StartAsync(temp);
        await FillAsync(host, 3);
        var rotation = host.Get<KeyRotation>();
        await rotation.RotateAsync(null, CancellationToken.None);
        await FillAsync(host, 2, startAt: 100);

        var status = await rotation.StatusAsync(CancellationToken.None);

        var notes = status.Where(s => s.Version.Scope == KeyScope.Purpose("notes")).OrderBy(s => s.Version.Version).ToList();
        Assert.Equal([(1u, 3L, false), (2u, 2L, true)], notes.Select(s => (s.Version.Version, s.Values, s.Version.IsCurrent)));
    }

    private static Task<PrivacyTestHost> StartAsync(TempDirectory temp) =>
        PrivacyTestHost.StartAsync(temp.Path, configure: services =>
        {
            services.AddSingleton<InMemoryColumn>();
            services.AddProtectedColumnSource<InMemoryColumnSource>();
        });

    private static async Task FillAsync(PrivacyTestHost host, int count, int startAt = 1)
    {
        var column = host.Get<InMemoryColumn>();
        var protector = host.Get<IPersonalDataProtector>();
        for (var i = startAt; i < startAt + count; i++)
        {
            var field = new FieldRef("note", "text", i.ToString(CultureInfo.InvariantCulture));
            var value = await protector.ProtectAsync(Guichet.Privacy.Classification.PersonalDataCategory.FreeText, $"Test note {i}", field, KeyScope.Purpose("notes"));
            column.Rows[field.RowId] = value.Ciphertext;
        }
    }

    private static async Task AssertAllReadAsync(PrivacyTestHost host, InMemoryColumn column)
    {
        var protector = host.Get<Privacy.Protection.PersonalDataProtector>();
        foreach (var (rowId, ciphertext) in column.Rows)
        {
            Assert.Equal($"Test note {rowId}", await protector.UnprotectAsync(ciphertext, new FieldRef("note", "text", rowId), CancellationToken.None));
        }
    }

    private sealed class SynchronousProgress(Action<RewrapProgress> report) : IProgress<RewrapProgress>
    {
        public void Report(RewrapProgress value) => report(value);
    }
}

/// <summary>Another module's protected column, in memory.</summary>
internal sealed class InMemoryColumn
{
    public SortedDictionary<string, byte[]> Rows { get; } = new(StringComparer.Ordinal);

    public string? RefuseUpdatesTo { get; set; }

    public IEnumerable<uint> Versions() => Rows.Values.Select(c =>
    {
        FieldFormat.TryReadKey(c, out _, out var version);
        return version;
    });
}

internal sealed class InMemoryColumnSource(InMemoryColumn column) : IProtectedColumnSource
{
    public string Name => "test.note.text";

    public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult((long)column.Rows.Count);

    public Task<IReadOnlyList<ProtectedCell>> ReadBatchAsync(string? afterCursor, int maxCount, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProtectedCell>>(column.Rows
            .Where(r => afterCursor is null || string.CompareOrdinal(r.Key, afterCursor) > 0)
            .Take(maxCount)
            .Select(r => new ProtectedCell(new FieldRef("note", "text", r.Key), r.Value, r.Key))
            .ToList());

    public Task<int> ReplaceAsync(IReadOnlyList<ProtectedCellUpdate> updates, CancellationToken cancellationToken)
    {
        var replaced = 0;
        foreach (var update in updates)
        {
            if (update.Field.RowId != column.RefuseUpdatesTo && column.Rows[update.Field.RowId].AsSpan().SequenceEqual(update.Previous))
            {
                column.Rows[update.Field.RowId] = update.Replacement;
                replaced++;
            }
        }

        return Task.FromResult(replaced);
    }
}
