using System.Security.Cryptography;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guichet.Privacy.Rotation;

/// <summary>
/// Key rotation without downtime: <see cref="RotateAsync"/> adds versions that new writes use;
/// <see cref="RewrapAsync"/> re-encrypts older values in batches through every registered
/// <see cref="IProtectedColumnSource"/>, checkpointing so an interrupted run resumes; a version
/// is retired (its key material destroyed) only when a full scan finds no value under it.
/// </summary>
internal sealed class KeyRotation(
    KeyRing keyRing,
    IServiceScopeFactory scopes,
    KeyStoreDatabase database,
    TimeProvider time,
    ILogger<KeyRotation> logger)
{
    /// <summary>
    /// A version is retired only once its successor is older than this: every process has by
    /// then stopped writing under it (each re-reads the current version every
    /// <see cref="KeyRing.RefreshInterval"/>).
    /// </summary>
    public static readonly TimeSpan RetireGracePeriod = KeyRing.RefreshInterval * 5;

    public async Task<int> RotateAsync(KeyScope? only, CancellationToken cancellationToken)
    {
        var count = await keyRing.RotateAsync(only, cancellationToken).ConfigureAwait(false);
        Log.KeysRotated(logger, count);
        return count;
    }

    /// <param name="batchSize">Values per transaction.</param>
    /// <param name="progress">Receives (done, total) after each batch.</param>
    /// <param name="maxBatches">Stop after this many batches (the rest resumes on the next run).</param>
    /// <param name="cancellationToken">Stops between batches; the checkpoint keeps the place.</param>
    public async Task<RewrapSummary> RewrapAsync(int batchSize, IProgress<RewrapProgress>? progress, int? maxBatches, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var current = (await keyRing.ListVersionsAsync(cancellationToken).ConfigureAwait(false))
            .Where(v => v.IsCurrent)
            .ToDictionary(v => v.KeyId, v => v.Version);
        long rewrapped = 0, unreadable = 0, scanned = 0;
        var batches = 0;
        var complete = true;

        await using var scope = scopes.CreateAsyncScope();
        var sources = scope.ServiceProvider.GetServices<IProtectedColumnSource>().ToList();
        long total = 0;
        foreach (var source in sources)
        {
            total += await source.CountAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var source in sources)
        {
            var checkpoint = await LoadCheckpointAsync(source.Name, cancellationToken).ConfigureAwait(false);
            var cursor = checkpoint?.Cursor;
            while (true)
            {
                if (maxBatches is { } limit && batches >= limit)
                {
                    complete = false;
                    break;
                }

                var cells = await source.ReadBatchAsync(cursor, batchSize, cancellationToken).ConfigureAwait(false);
                if (cells.Count == 0)
                {
                    await DeleteCheckpointAsync(source.Name, cancellationToken).ConfigureAwait(false);
                    break;
                }

                var (updates, batchUnreadable) = await ReencryptAsync(cells, current, cancellationToken).ConfigureAwait(false);
                unreadable += batchUnreadable;
                if (updates.Count > 0)
                {
                    rewrapped += await source.ReplaceAsync(updates, cancellationToken).ConfigureAwait(false);
                }

                scanned += cells.Count;
                cursor = cells[^1].Cursor;
                batches++;
                await SaveCheckpointAsync(source.Name, cursor, rewrapped, cancellationToken).ConfigureAwait(false);
                progress?.Report(new RewrapProgress(source.Name, scanned, total));
            }

            if (!complete)
            {
                break;
            }
        }

        var retired = complete ? await RetireUnusedAsync(cancellationToken).ConfigureAwait(false) : [];
        return new RewrapSummary(complete, scanned, rewrapped, unreadable, retired);
    }

    /// <summary>
    /// Re-encrypts the cells of one batch that are under an older version than their key's
    /// current one. The old and new versions of every key in the batch are unwrapped together
    /// in one key-ring query and destroyed after the batch (a walk over a million subject keys
    /// does not keep them); plaintext lives only in a stack buffer, zeroed after each value.
    /// </summary>
    private async Task<(List<ProtectedCellUpdate> Updates, long Unreadable)> ReencryptAsync(
        IReadOnlyList<ProtectedCell> cells, Dictionary<uint, uint> current, CancellationToken cancellationToken)
    {
        var stale = new List<(ProtectedCell Cell, uint KeyId, uint Version, uint Target)>(cells.Count);
        foreach (var cell in cells)
        {
            if (FieldFormat.TryReadKey(cell.Ciphertext, out var keyId, out var version)
                && current.TryGetValue(keyId, out var target) && version < target)
            {
                stale.Add((cell, keyId, version, target));
            }
        }

        var updates = new List<ProtectedCellUpdate>(stale.Count);
        if (stale.Count == 0)
        {
            return (updates, 0);
        }

        long unreadable = 0;
        using var keys = await keyRing.LoadVersionsAsync(
            [.. stale.SelectMany(s => new[] { (s.KeyId, s.Version), (s.KeyId, s.Target) }).Distinct()], cancellationToken).ConfigureAwait(false);
        foreach (var (cell, keyId, version, target) in stale)
        {
            if (!keys.TryGet(keyId, version, out var oldKey, out var reason) || !keys.TryGet(keyId, target, out var newKey, out reason))
            {
                unreadable++;
                if (reason != UnreadableReason.Erased)
                {
                    Log.FieldUnreadable(logger, cell.Field.Entity, cell.Field.Field, cell.Field.RowId, reason);
                }

                continue;
            }

            var replacement = Reencrypt(cell, oldKey, newKey);
            if (replacement is null)
            {
                unreadable++;
                Log.FieldUnreadable(logger, cell.Field.Entity, cell.Field.Field, cell.Field.RowId, UnreadableReason.IntegrityFailure);
                continue;
            }

            updates.Add(new ProtectedCellUpdate(cell.Field, cell.Ciphertext, replacement));
        }

        return (updates, unreadable);
    }

    /// <returns>The value under <paramref name="newKey"/>, or null when it fails its integrity check.</returns>
    private static byte[]? Reencrypt(ProtectedCell cell, DataKey oldKey, DataKey newKey)
    {
        var length = cell.Ciphertext.Length - FieldFormat.Overhead;
        var plaintext = length <= 1024 ? stackalloc byte[length] : new byte[length];
        try
        {
            oldKey.Decrypt(cell.Ciphertext, cell.Field, plaintext);
            return newKey.Encrypt(plaintext, cell.Field);
        }
        catch (PersonalDataUnreadableException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Every key version with how many stored values it protects.</summary>
    public async Task<IReadOnlyList<KeyVersionUsage>> StatusAsync(CancellationToken cancellationToken)
    {
        var versions = await keyRing.ListVersionsAsync(cancellationToken).ConfigureAwait(false);
        var usage = await CountUsageAsync(cancellationToken).ConfigureAwait(false);
        return versions
            .Select(v => new KeyVersionUsage(v, usage.GetValueOrDefault((v.KeyId, v.Version))))
            .ToList();
    }

    private async Task<IReadOnlyList<KeyVersionInfo>> RetireUnusedAsync(CancellationToken cancellationToken)
    {
        var versions = await keyRing.ListVersionsAsync(cancellationToken).ConfigureAwait(false);
        var successorCreated = versions.Where(v => v.IsCurrent).ToDictionary(v => v.KeyId, v => v.CreatedAt);
        var now = time.GetUtcNow();
        var candidates = versions
            .Where(v => !v.IsCurrent && v.RetiredAt is null && v.Scope != KeyScope.IndexRoot
                && successorCreated.TryGetValue(v.KeyId, out var created) && now - created >= RetireGracePeriod)
            .ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        // Counted after the walk, so a value written under an old version meanwhile keeps it.
        var usage = await CountUsageAsync(cancellationToken).ConfigureAwait(false);
        var unused = candidates.Where(c => !usage.ContainsKey((c.KeyId, c.Version))).ToList();
        var done = (await keyRing.RetireAsync([.. unused.Select(c => (c.KeyId, c.Version))], cancellationToken).ConfigureAwait(false)).ToHashSet();
        var retired = unused.Where(c => done.Contains((c.KeyId, c.Version))).ToList();
        foreach (var version in retired.Where(v => !v.Scope.IsSubject))
        {
            Log.KeyVersionRetired(logger, version.KeyId, version.Version);
        }

        var subjects = retired.Count(v => v.Scope.IsSubject);
        if (subjects > 0)
        {
            Log.SubjectKeyVersionsRetired(logger, subjects);
        }

        return retired;
    }

    private async Task<Dictionary<(uint KeyId, uint Version), long>> CountUsageAsync(CancellationToken cancellationToken)
    {
        var usage = new Dictionary<(uint, uint), long>();
        await using var scope = scopes.CreateAsyncScope();
        foreach (var source in scope.ServiceProvider.GetServices<IProtectedColumnSource>())
        {
            string? cursor = null;
            while (true)
            {
                var cells = await source.ReadBatchAsync(cursor, 1000, cancellationToken).ConfigureAwait(false);
                if (cells.Count == 0)
                {
                    break;
                }

                foreach (var cell in cells)
                {
                    if (FieldFormat.TryReadKey(cell.Ciphertext, out var keyId, out var version))
                    {
                        usage[(keyId, version)] = usage.GetValueOrDefault((keyId, version)) + 1;
                    }
                }

                cursor = cells[^1].Cursor;
            }
        }

        return usage;
    }

    private async Task<RewrapCheckpointRecord?> LoadCheckpointAsync(string source, CancellationToken cancellationToken)
    {
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            return await context.RewrapCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.Source == source, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SaveCheckpointAsync(string source, string cursor, long rewrapped, CancellationToken cancellationToken)
    {
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            var checkpoint = await context.RewrapCheckpoints.SingleOrDefaultAsync(c => c.Source == source, cancellationToken).ConfigureAwait(false);
            if (checkpoint is null)
            {
                context.RewrapCheckpoints.Add(new RewrapCheckpointRecord { Source = source, Cursor = cursor, Rewrapped = rewrapped, UpdatedAt = time.GetUtcNow() });
            }
            else
            {
                checkpoint.Cursor = cursor;
                checkpoint.Rewrapped = rewrapped;
                checkpoint.UpdatedAt = time.GetUtcNow();
            }

            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteCheckpointAsync(string source, CancellationToken cancellationToken)
    {
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            await context.RewrapCheckpoints.Where(c => c.Source == source).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

internal sealed record RewrapProgress(string Source, long Scanned, long Total);

internal sealed record RewrapSummary(bool Complete, long Scanned, long Rewrapped, long Unreadable, IReadOnlyList<KeyVersionInfo> Retired);

internal sealed record KeyVersionUsage(KeyVersionInfo Version, long Values);
