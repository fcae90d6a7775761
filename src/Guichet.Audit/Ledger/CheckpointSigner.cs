using System.Security.Cryptography;
using Guichet.Audit.Storage;
using Guichet.Privacy.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Ledger;

/// <summary>
/// Holds the checkpoint signing key: generated on first use, stored with its private half
/// sealed by the privacy kernel's key provider, unsealed once and kept in memory.
/// </summary>
internal sealed class CheckpointSigner(AuditStore store, IServiceProvider services, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private ECDsa? key;
    private string? keyId;

    /// <summary>
    /// Loads (or on first use creates) the key. Called before the writer opens its batch
    /// transaction: on SQLite, creating the key inside it would wait on the writer's own lock.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken) => await GetKeyAsync(cancellationToken);

    /// <summary>Signs with the key loaded by <see cref="PrepareAsync"/>.</summary>
    public CheckpointRecord Sign(long sequence, byte[] hash, DateTime createdAt)
    {
        if (key is null)
        {
            throw new InvalidOperationException("The checkpoint signing key is not loaded.");
        }

        return new CheckpointRecord
        {
            Sequence = sequence,
            Hash = hash,
            CreatedAt = createdAt,
            KeyId = keyId!,
            Signature = CheckpointSignature.Sign(key, sequence, hash, createdAt),
        };
    }

    public void Dispose()
    {
        key?.Dispose();
        gate.Dispose();
    }

    private async Task<(ECDsa Key, string Id)> GetKeyAsync(CancellationToken cancellationToken)
    {
        if (key is not null)
        {
            return (key, keyId!);
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (key is not null)
            {
                return (key, keyId!);
            }

            var sealer = services.GetRequiredService<ISecretSealer>();
            await using var db = store.CreateContext();
            var record = await db.SigningKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (record is null)
            {
                record = Generate(sealer);
                db.SigningKeys.Add(record);
                await db.SaveChangesAsync(cancellationToken);
            }

            var loaded = Load(record, sealer);
            (key, keyId) = (loaded, record.KeyId);
            return (loaded, record.KeyId);
        }
        finally
        {
            gate.Release();
        }
    }

    private SigningKeyRecord Generate(ISecretSealer sealer)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var privateKey = ecdsa.ExportPkcs8PrivateKey();
        try
        {
            var publicKey = ecdsa.ExportSubjectPublicKeyInfo();
            return new SigningKeyRecord
            {
                KeyId = CheckpointSignature.KeyId(publicKey),
                PublicKey = publicKey,
                SealedPrivateKey = sealer.Seal(privateKey, CheckpointSignature.SealPurpose),
                CreatedAt = LedgerHash.ToLedgerTime(time.GetUtcNow()),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    /// <summary>Unseals the private key and checks it belongs to the stored public key.</summary>
    internal static ECDsa Load(SigningKeyRecord record, ISecretSealer sealer)
    {
        var privateKey = sealer.Unseal(record.SealedPrivateKey, CheckpointSignature.SealPurpose);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(privateKey, out _);
            var publicKey = ecdsa.ExportSubjectPublicKeyInfo();
            if (!CryptographicOperations.FixedTimeEquals(publicKey, record.PublicKey)
                || CheckpointSignature.KeyId(publicKey) != record.KeyId)
            {
                throw new CryptographicException("The sealed checkpoint signing key does not match its public key record.");
            }

            return ecdsa;
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }
}
