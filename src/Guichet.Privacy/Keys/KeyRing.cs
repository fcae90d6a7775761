using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guichet.Privacy.Keys;

/// <summary>
/// Data keys (DEKs) per purpose and per data subject, each with versions, wrapped by the root
/// key and stored in the key ring database. A version is unwrapped once and cached, so a
/// protected field costs no root-key (HSM) call.
/// </summary>
internal sealed class KeyRing(RootKeyHolder rootKey, KeyStoreDatabase database, TimeProvider time, ILogger<KeyRing> logger)
{
    public const int KeySize = 32;

    /// <summary>
    /// How long a process trusts its cached "current version" of a key and its cached subject
    /// keys before checking the key ring again: a rotation or an erasure made by another
    /// process (the CLI, another instance) takes effect here within this time.
    /// </summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    // Compiled: a subject's key is looked up again whenever its cached copy is older than the
    // refresh interval, so every masked view of a customer seen a minute ago comes here.
    private static readonly CompiledQuery<Func<PrivacyDbContext, string, CancellationToken, Task<DataKeyRecord?>>> KeyByScopeQuery = new(() =>
        EF.CompileAsyncQuery((PrivacyDbContext db, string scope, CancellationToken _) => db.DataKeys.AsNoTracking().SingleOrDefault(k => k.Scope == scope)));

    // A key and one of its versions in one read (the version null when unknown or never made).
    private static readonly CompiledQuery<Func<PrivacyDbContext, int, int, CancellationToken, Task<StoredVersion?>>> VersionQuery = new(() =>
        EF.CompileAsyncQuery((PrivacyDbContext db, int keyId, int version, CancellationToken _) => db.DataKeys
            .Where(k => k.Id == keyId)
            .Select(k => new StoredVersion(
                k.Scope,
                k.DestroyedAt,
                db.DataKeyVersions.Where(v => v.KeyId == keyId && v.Version == version).Select(v => v.WrappedKey).SingleOrDefault()))
            .SingleOrDefault()));

    private readonly ConcurrentDictionary<ulong, CachedKey> _versions = new();
    private readonly ConcurrentDictionary<string, CachedKey> _current = new(StringComparer.Ordinal);
    private GroupCommit<KeyScope, DataKeyRecord>? _creations;
    private long _lastSweep;

    /// <summary>The version new writes use; created on first use of the scope.</summary>
    /// <exception cref="PersonalDataUnreadableException">The subject was erased.</exception>
    public ValueTask<DataKey> GetCurrentAsync(KeyScope scope, CancellationToken cancellationToken = default)
    {
        if (_current.TryGetValue(scope.Name, out var cached) && time.GetElapsedTime(cached.LoadedAt) < RefreshInterval)
        {
            return ValueTask.FromResult(cached.Key);
        }

        return new ValueTask<DataKey>(LoadCurrentAsync(scope, cancellationToken));
    }

    /// <summary>The current version when it is cached and fresh; false means: ask <see cref="GetCurrentAsync"/>.</summary>
    public bool TryGetCurrentCached(KeyScope scope, [NotNullWhen(true)] out DataKey? key)
    {
        if (_current.TryGetValue(scope.Name, out var cached) && time.GetElapsedTime(cached.LoadedAt) < RefreshInterval)
        {
            key = cached.Key;
            return true;
        }

        key = null;
        return false;
    }

    /// <summary>
    /// Takes a key just made durable (<see cref="CreateSubjectKeysAsync"/>) as the scope's
    /// current version, trusted from <paramref name="madeAt"/> for <see cref="RefreshInterval"/>
    /// like any key loaded from the key ring.
    /// </summary>
    public void UseAsCurrent(KeyScope scope, DataKey key, long madeAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        var cached = new CachedKey(key, madeAt, scope.IsSubject);
        _versions[Pack(key.KeyId, key.Version)] = cached;
        _current[scope.Name] = cached;
        ForgetStaleSubjectKeysIfDue();
    }

    /// <summary>A given version, as named in a ciphertext header.</summary>
    /// <exception cref="PersonalDataUnreadableException">Unknown, retired, or erased.</exception>
    public ValueTask<DataKey> GetAsync(uint keyId, uint version, CancellationToken cancellationToken = default)
    {
        if (_versions.TryGetValue(Pack(keyId, version), out var cached) && (!cached.IsSubject || time.GetElapsedTime(cached.LoadedAt) < RefreshInterval))
        {
            return ValueTask.FromResult(cached.Key);
        }

        return new ValueTask<DataKey>(LoadVersionAsync(keyId, version, cancellationToken));
    }

    /// <summary>
    /// Adds a version to every live key (or to one purpose key); new writes use it. Keys are
    /// rotated with prepared statements in transactions of <see cref="RotateBatchSize"/> keys, so
    /// a key ring with a million subject keys rotates in seconds and a running server is never
    /// kept waiting for the key ring for long. An interrupted run leaves some keys rotated; running
    /// it again rotates every key once more, which is harmless.
    /// </summary>
    /// <returns>How many keys got a new version.</returns>
    public async Task<int> RotateAsync(KeyScope? only, CancellationToken cancellationToken)
    {
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            var query = context.DataKeys.AsNoTracking().Where(k => k.DestroyedAt == null && k.Scope != KeyScope.IndexRoot.Name);
            if (only is { } scope)
            {
                query = query.Where(k => k.Scope == scope.Name);
            }

            var keys = await query.Select(k => new { k.Id, k.CurrentVersion }).ToListAsync(cancellationToken).ConfigureAwait(false);
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var connection = context.Database.GetDbConnection();
            var rotated = 0;
            foreach (var chunk in keys.Chunk(RotateBatchSize))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var keyCommand = connection.CreateCommand();
                    var versionCommand = connection.CreateCommand();
                    await using (keyCommand.ConfigureAwait(false))
                    await using (versionCommand.ConfigureAwait(false))
                    {
                        keyCommand.Transaction = transaction;
                        // Compare-and-swap: a key rotated or erased meanwhile by another process is left as it is.
                        keyCommand.CommandText = """UPDATE privacy_data_keys SET "CurrentVersion" = @next WHERE "Id" = @id AND "CurrentVersion" = @previous AND "DestroyedAt" IS NULL""";
                        var id = AddParameter(keyCommand, "@id");
                        var next = AddParameter(keyCommand, "@next");
                        var previous = AddParameter(keyCommand, "@previous");
                        versionCommand.Transaction = transaction;
                        versionCommand.CommandText = """INSERT INTO privacy_data_key_versions ("KeyId", "Version", "WrappedKey", "CreatedAt") VALUES (@key, @version, @wrapped, @at)""";
                        var keyId = AddParameter(versionCommand, "@key");
                        var version = AddParameter(versionCommand, "@version");
                        var wrapped = AddParameter(versionCommand, "@wrapped");
                        AddParameter(versionCommand, "@at").Value = StoredTime(time.GetUtcNow());
                        foreach (var key in chunk)
                        {
                            id.Value = keyId.Value = key.Id;
                            previous.Value = key.CurrentVersion;
                            next.Value = version.Value = key.CurrentVersion + 1;
                            if (await keyCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                            {
                                continue;
                            }

                            var material = RandomNumberGenerator.GetBytes(KeySize);
                            wrapped.Value = rootKey.RootKey.Wrap(material, WrapContext((uint)key.Id, (uint)key.CurrentVersion + 1));
                            CryptographicOperations.ZeroMemory(material);
                            await versionCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                            rotated++;
                        }

                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            _current.Clear();
            return rotated;
        }
    }

    /// <summary>Keys rotated per key-ring transaction.</summary>
    internal const int RotateBatchSize = 10_000;

    /// <summary>
    /// Unwraps many key versions at once for a walk over stored values (rewrap): two key-ring
    /// queries per call, and nothing is cached, so a walk over a million subjects does not keep
    /// a million keys in memory. The caller disposes the batch.
    /// </summary>
    public async Task<KeyVersionBatch> LoadVersionsAsync(IReadOnlyCollection<(uint KeyId, uint Version)> wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var batch = new KeyVersionBatch();
        if (wanted.Count == 0)
        {
            return batch;
        }

        var ids = wanted.Select(w => (int)w.KeyId).Distinct().ToList();
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            var keys = await context.DataKeys.AsNoTracking()
                .Where(k => ids.Contains(k.Id))
                .Select(k => new { k.Id, Destroyed = k.DestroyedAt != null })
                .ToDictionaryAsync(k => (uint)k.Id, k => k.Destroyed, cancellationToken).ConfigureAwait(false);
            var versions = await context.DataKeyVersions.AsNoTracking()
                .Where(v => ids.Contains(v.KeyId))
                .Select(v => new { v.KeyId, v.Version, v.WrappedKey })
                .ToDictionaryAsync(v => Pack((uint)v.KeyId, (uint)v.Version), v => v.WrappedKey, cancellationToken).ConfigureAwait(false);
            foreach (var (keyId, version) in wanted.Distinct())
            {
                if (!keys.TryGetValue(keyId, out var destroyed))
                {
                    batch.Missing[Pack(keyId, version)] = UnreadableReason.UnknownKey;
                }
                else if (destroyed)
                {
                    batch.Missing[Pack(keyId, version)] = UnreadableReason.Erased;
                }
                else if (!versions.TryGetValue(Pack(keyId, version), out var wrapped) || wrapped.Length == 0)
                {
                    batch.Missing[Pack(keyId, version)] = UnreadableReason.UnknownKey;
                }
                else
                {
                    try
                    {
                        batch.Keys[Pack(keyId, version)] = new DataKey(keyId, version, rootKey.RootKey.Unwrap(wrapped, WrapContext(keyId, version)));
                    }
                    catch (CryptographicException)
                    {
                        Log.KeyUnwrapFailed(logger, keyId, version);
                        batch.Missing[Pack(keyId, version)] = UnreadableReason.UnknownKey;
                    }
                }
            }
        }

        return batch;
    }

    /// <summary>
    /// Destroys a data subject's key: its wrapped versions are deleted (and overwritten in an
    /// embedded database), a tombstone keeps the key from being created again, and the cache
    /// forgets it. Every copy of their ciphertext becomes unreadable.
    /// </summary>
    /// <returns>False when the subject had no key (a tombstone is written anyway).</returns>
    public async Task<bool> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken)
    {
        var scope = KeyScope.Subject(subjectId);
        bool existed;
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            var key = await context.DataKeys.Include(k => k.Versions).SingleOrDefaultAsync(k => k.Scope == scope.Name, cancellationToken).ConfigureAwait(false);
            existed = key is { DestroyedAt: null };
            if (key is null)
            {
                context.DataKeys.Add(new DataKeyRecord { Scope = scope.Name, CurrentVersion = 0, CreatedAt = time.GetUtcNow(), DestroyedAt = time.GetUtcNow() });
            }
            else
            {
                context.DataKeyVersions.RemoveRange(key.Versions);
                key.DestroyedAt ??= time.GetUtcNow();
            }

            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            if (database.IsSqlite)
            {
                // Move the change out of the WAL file so no old page image keeps the wrapped key.
                await context.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken).ConfigureAwait(false);
            }

            if (key is not null)
            {
                Forget((uint)key.Id);
            }
        }

        _current.TryRemove(scope.Name, out _);
        Log.SubjectKeyDestroyed(logger);
        return existed;
    }

    /// <summary>Every key version with its state, for <c>keys status</c> and rewrap.</summary>
    public async Task<IReadOnlyList<KeyVersionInfo>> ListVersionsAsync(CancellationToken cancellationToken)
    {
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            var rows = await (
                from version in context.DataKeyVersions.AsNoTracking()
                join key in context.DataKeys.AsNoTracking() on version.KeyId equals key.Id
                select new { key.Id, key.Scope, key.CurrentVersion, version.Version, version.CreatedAt, version.RetiredAt })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows
                .Select(row => new KeyVersionInfo((uint)row.Id, KeyScope.FromName(row.Scope), (uint)row.Version, row.Version == row.CurrentVersion, row.CreatedAt, row.RetiredAt))
                .OrderBy(info => info.KeyId).ThenBy(info => info.Version)
                .ToList();
        }
    }

    /// <summary>
    /// Destroys old versions' key material; callers check first that nothing uses them. A
    /// current version is never retired. Prepared statements in transactions of
    /// <see cref="RotateBatchSize"/>: after a rotation there is an old version per subject.
    /// </summary>
    /// <returns>The versions retired.</returns>
    public async Task<IReadOnlyList<(uint KeyId, uint Version)>> RetireAsync(IReadOnlyList<(uint KeyId, uint Version)> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var retired = new List<(uint KeyId, uint Version)>(versions.Count);
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var connection = context.Database.GetDbConnection();
            foreach (var chunk in versions.Chunk(RotateBatchSize))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var command = connection.CreateCommand();
                    await using (command.ConfigureAwait(false))
                    {
                        command.Transaction = transaction;
                        command.CommandText = """
                            UPDATE privacy_data_key_versions SET "WrappedKey" = @empty, "RetiredAt" = @at
                            WHERE "KeyId" = @key AND "Version" = @version AND "RetiredAt" IS NULL
                              AND "Version" <> (SELECT "CurrentVersion" FROM privacy_data_keys WHERE "Id" = @key)
                            """;
                        var keyId = AddParameter(command, "@key");
                        var version = AddParameter(command, "@version");
                        AddParameter(command, "@empty").Value = Array.Empty<byte>();
                        AddParameter(command, "@at").Value = StoredTime(time.GetUtcNow());
                        foreach (var (id, number) in chunk)
                        {
                            keyId.Value = (int)id;
                            version.Value = (int)number;
                            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                            {
                                retired.Add((id, number));
                            }
                        }

                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        foreach (var (id, number) in retired)
        {
            _versions.TryRemove(Pack(id, number), out _);
        }

        return retired;
    }

    /// <summary>
    /// Creates the keys of many new data subjects in one key-ring transaction (bulk import).
    /// The keys are returned to the caller, not cached: an import of a million customers must
    /// not keep a million keys in memory. Fails when a subject already has a key.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DataKey>> CreateSubjectKeysAsync(IReadOnlyList<string> subjectIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjectIds);
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            // Two prepared statements instead of change tracking: an import creates keys by the million.
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var connection = context.Database.GetDbConnection();
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var keyCommand = connection.CreateCommand();
                var versionCommand = connection.CreateCommand();
                await using (keyCommand.ConfigureAwait(false))
                await using (versionCommand.ConfigureAwait(false))
                {
                    keyCommand.Transaction = transaction;
                    keyCommand.CommandText = """INSERT INTO privacy_data_keys ("Scope", "CurrentVersion", "CreatedAt") VALUES (@scope, 1, @at) RETURNING "Id" """;
                    var scope = AddParameter(keyCommand, "@scope");
                    var keyAt = AddParameter(keyCommand, "@at");
                    versionCommand.Transaction = transaction;
                    versionCommand.CommandText = """INSERT INTO privacy_data_key_versions ("KeyId", "Version", "WrappedKey", "CreatedAt") VALUES (@key, 1, @wrapped, @at)""";
                    var keyId = AddParameter(versionCommand, "@key");
                    var wrapped = AddParameter(versionCommand, "@wrapped");
                    var versionAt = AddParameter(versionCommand, "@at");
                    keyAt.Value = versionAt.Value = StoredTime(time.GetUtcNow());
                    var keys = new Dictionary<string, DataKey>(subjectIds.Count, StringComparer.Ordinal);
                    foreach (var subjectId in subjectIds)
                    {
                        scope.Value = KeyScope.Subject(subjectId).Name;
                        var id = Convert.ToInt32(await keyCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                        var material = RandomNumberGenerator.GetBytes(KeySize);
                        keyId.Value = id;
                        wrapped.Value = rootKey.RootKey.Wrap(material, WrapContext((uint)id, 1));
                        await versionCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        keys[subjectId] = new DataKey((uint)id, 1, material, keepsInstances: false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return keys;
                }
            }
        }
    }

    /// <summary>
    /// Deletes subject keys that were made in advance and never handed out
    /// (<see cref="SubjectKeyPool"/>): no value was ever encrypted under them, and nothing
    /// cached them.
    /// </summary>
    public async Task DeleteUnusedSubjectKeysAsync(IReadOnlyCollection<uint> keyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        var ids = keyIds.Select(id => (int)id).ToList();
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await context.DataKeyVersions.Where(v => ids.Contains(v.KeyId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                await context.DataKeys.Where(k => ids.Contains(k.Id) && k.Scope.StartsWith(KeyScope.SubjectPrefix)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A time as the key ring's column stores it, for the statements written by hand: UTC ticks
    /// in SQLite (as <see cref="SqlitePrivacyDbContext"/>'s converter writes them), a
    /// <c>timestamp with time zone</c> in PostgreSQL.
    /// </summary>
    private object StoredTime(DateTimeOffset at) => database.IsSqlite ? at.UtcTicks : at.ToUniversalTime();

    private static System.Data.Common.DbParameter AddParameter(System.Data.Common.DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// Drops cached subject keys older than <see cref="RefreshInterval"/>, at most once per
    /// interval: they would be looked up again before use anyway, and a host that meets
    /// thousands of new customers a day must not keep every one's key for as long as it runs.
    /// The material is left to the garbage collector rather than destroyed, because a request
    /// may still be using a key it took from the cache a moment ago.
    /// </summary>
    private void ForgetStaleSubjectKeysIfDue()
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last) < RefreshInterval || Interlocked.CompareExchange(ref _lastSweep, time.GetTimestamp(), last) != last)
        {
            return;
        }

        ForgetStale(_current);
        ForgetStale(_versions);
    }

    // Removes an entry only if it is still the stale one seen: a fresh reload meanwhile stays.
    private void ForgetStale<TKey>(ConcurrentDictionary<TKey, CachedKey> cache)
        where TKey : notnull
    {
        foreach (var entry in cache)
        {
            if (entry.Value.IsSubject && time.GetElapsedTime(entry.Value.LoadedAt) >= RefreshInterval)
            {
                cache.TryRemove(entry);
            }
        }
    }

    /// <summary>Cached keys, current and by version; for tests of the cache's bounds.</summary>
    internal (int Current, int Versions) CachedCount => (_current.Count, _versions.Count);

    /// <summary>A key's scope and state with one of its versions' wrapped material, as read in one query.</summary>
    private sealed record StoredVersion(string Scope, DateTimeOffset? DestroyedAt, byte[]? WrappedKey);

    private async Task<DataKey> LoadCurrentAsync(KeyScope scope, CancellationToken cancellationToken)
    {
        ForgetStaleSubjectKeysIfDue();
        // A plain lookup first: a new customer's key comes made in advance (SubjectKeyPool), so a
        // key looked up here mostly exists (a returning customer's, a purpose key after the
        // refresh interval) and needs no write transaction. Only a missing one is created.
        var record = await FindAsync(scope, cancellationToken).ConfigureAwait(false)
            ?? await FindOrCreateAsync(scope, cancellationToken).ConfigureAwait(false);
        if (record.DestroyedAt is not null)
        {
            throw new PersonalDataUnreadableException(UnreadableReason.Erased, "The data subject was erased: nothing can be protected or read under their key any more.");
        }

        var key = await GetAsync((uint)record.Id, (uint)record.CurrentVersion, cancellationToken).ConfigureAwait(false);
        _current[scope.Name] = new CachedKey(key, time.GetTimestamp(), scope.IsSubject);
        return key;
    }

    private async Task<DataKeyRecord?> FindAsync(KeyScope scope, CancellationToken cancellationToken)
    {
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            return await KeyByScopeQuery.For(context)(context, scope.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DataKeyRecord> FindOrCreateAsync(KeyScope scope, CancellationToken cancellationToken)
    {
        var creations = LazyInitializer.EnsureInitialized(ref _creations, () => new GroupCommit<KeyScope, DataKeyRecord>(CreateManyAsync));
        try
        {
            return await creations.SubmitAsync(scope, cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another process created the same key between our check and our insert.
            return await FindAsync(scope, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A data key could not be created.");
        }
    }

    /// <summary>
    /// Creates the keys that do not exist yet among <paramref name="scopes"/>, in one key-ring
    /// transaction: when many new customers arrive at once (a morning rush of kiosk tickets with
    /// phone numbers), their keys share one durable commit.
    /// </summary>
    private async Task<IReadOnlyList<DataKeyRecord>> CreateManyAsync(IReadOnlyList<KeyScope> scopes, CancellationToken cancellationToken)
    {
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var names = scopes.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
                var records = await context.DataKeys.AsNoTracking().Where(k => names.Contains(k.Scope))
                    .ToDictionaryAsync(k => k.Scope, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var created = names.Where(name => !records.ContainsKey(name))
                    .Select(name => new DataKeyRecord { Scope = name, CurrentVersion = 1, CreatedAt = now })
                    .ToList();
                if (created.Count == 0)
                {
                    return [.. scopes.Select(s => records[s.Name])];
                }

                context.DataKeys.AddRange(created);
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                var materials = new List<(DataKeyRecord Record, byte[] Material)>(created.Count);
                foreach (var record in created)
                {
                    context.DataKeyVersions.Add(NewVersion(record.Id, 1, now, out var material));
                    materials.Add((record, material));
                    records[record.Scope] = record;
                }

                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                foreach (var (record, material) in materials)
                {
                    var isSubject = KeyScope.FromName(record.Scope).IsSubject;
                    _versions[Pack((uint)record.Id, 1)] = new CachedKey(new DataKey((uint)record.Id, 1, material, keepsInstances: !isSubject), time.GetTimestamp(), isSubject);
                }

                return [.. scopes.Select(s => records[s.Name])];
            }
        }
    }

    private async Task<DataKey> LoadVersionAsync(uint keyId, uint version, CancellationToken cancellationToken)
    {
        ForgetStaleSubjectKeysIfDue();
        var context = database.Open();
        await using (context.ConfigureAwait(false))
        {
            var stored = await VersionQuery.For(context)(context, (int)keyId, (int)version, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                throw new PersonalDataUnreadableException(UnreadableReason.UnknownKey, $"Key {keyId} is not in this key ring.");
            }

            var scope = KeyScope.FromName(stored.Scope);
            if (stored.DestroyedAt is not null)
            {
                Forget(keyId);
                throw new PersonalDataUnreadableException(UnreadableReason.Erased, "The data subject was erased: their key was destroyed.");
            }

            if (stored.WrappedKey is not { Length: > 0 } wrapped)
            {
                throw new PersonalDataUnreadableException(UnreadableReason.UnknownKey, $"Key {keyId} version {version} is not in this key ring (unknown or retired).");
            }

            byte[] material;
            try
            {
                material = rootKey.RootKey.Unwrap(wrapped, WrapContext(keyId, version));
            }
            catch (CryptographicException ex)
            {
                Log.KeyUnwrapFailed(logger, keyId, version);
                throw new PersonalDataUnreadableException(UnreadableReason.UnknownKey, $"Key {keyId} version {version} does not unwrap under the configured root key.", ex);
            }

            var dataKey = new DataKey(keyId, version, material, keepsInstances: !scope.IsSubject);
            _versions[Pack(keyId, version)] = new CachedKey(dataKey, time.GetTimestamp(), scope.IsSubject);
            return dataKey;
        }
    }

    private DataKeyVersionRecord NewVersion(int keyId, int version, DateTimeOffset now, out byte[] material)
    {
        material = RandomNumberGenerator.GetBytes(KeySize);
        return new DataKeyVersionRecord
        {
            KeyId = keyId,
            Version = version,
            WrappedKey = rootKey.RootKey.Wrap(material, WrapContext((uint)keyId, (uint)version)),
            CreatedAt = now,
        };
    }

    private void Forget(uint keyId)
    {
        foreach (var entry in _versions.Keys.Where(packed => (uint)(packed >> 32) == keyId))
        {
            _versions.TryRemove(entry, out _);
        }

        foreach (var entry in _current.Where(pair => pair.Value.Key.KeyId == keyId))
        {
            _current.TryRemove(entry.Key, out _);
        }
    }

    /// <summary>Binds a wrapped key to its id and version: a wrapped key copied to another row does not unwrap.</summary>
    private static byte[] WrapContext(uint keyId, uint version) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"guichet/data-key/v1/{keyId}/{version}"));


    internal static ulong Pack(uint keyId, uint version) => ((ulong)keyId << 32) | version;

    private sealed record CachedKey(DataKey Key, long LoadedAt, bool IsSubject);
}

/// <summary>One key version as listed by <c>keys status</c>.</summary>
internal sealed record KeyVersionInfo(uint KeyId, KeyScope Scope, uint Version, bool IsCurrent, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>Key versions unwrapped together for one batch of a walk; disposing it destroys their material.</summary>
internal sealed class KeyVersionBatch : IDisposable
{
    internal Dictionary<ulong, DataKey> Keys { get; } = [];

    internal Dictionary<ulong, UnreadableReason> Missing { get; } = [];

    /// <summary>The version, or why it cannot be used (erased, unknown, retired).</summary>
    public bool TryGet(uint keyId, uint version, [NotNullWhen(true)] out DataKey? key, out UnreadableReason reason)
    {
        var packed = KeyRing.Pack(keyId, version);
        if (Keys.TryGetValue(packed, out key))
        {
            reason = default;
            return true;
        }

        reason = Missing.GetValueOrDefault(packed, UnreadableReason.UnknownKey);
        return false;
    }

    public void Dispose()
    {
        foreach (var key in Keys.Values)
        {
            key.Dispose();
        }

        Keys.Clear();
    }
}
