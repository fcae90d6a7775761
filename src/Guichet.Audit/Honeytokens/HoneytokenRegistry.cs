using Guichet.Audit.Storage;
using Guichet.Privacy.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit.Honeytokens;

/// <summary>
/// The planted honeytoken ids, stored in the ledger's database and cached in memory for the
/// detector. The cache reloads every minute, so ids planted by another process (the CLI while
/// the server runs) are watched within a minute.
/// </summary>
internal sealed class HoneytokenRegistry(AuditStore store, IServiceProvider services, TimeProvider time) : IDisposable
{
    public const string CustomerType = "customer";
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim gate = new(1, 1);
    private HashSet<(string Type, string Id)>? cache;
    private DateTimeOffset loadedAt;

    public async Task<IReadOnlyList<string>> PlantAsync(int count, AuditActor plantedBy, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1000);
        var ids = await services.GetRequiredService<IHoneytokenPlanter>().PlantAsync(count, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = store.CreateContext())
        {
            db.Honeytokens.AddRange(ids.Select(id => new HoneytokenRecord { ResourceType = CustomerType, ResourceId = id, PlantedAt = now }));
            await db.SaveChangesAsync(cancellationToken);
        }

        // The ledger records that a batch was planted, never which ids: auditors must not be able to tell.
        await services.GetRequiredService<IAuditTrail>().RecordAsync(
            new AuditEvent("honeytoken.plant", plantedBy, AuditOutcome.Success, "honeytoken-batch", Guid.CreateVersion7(time.GetUtcNow()).ToString("N")),
            cancellationToken);
        cache = null;
        return ids;
    }

    public async ValueTask<bool> IsHoneytokenAsync(string resourceType, string resourceId, CancellationToken cancellationToken)
    {
        var current = cache;
        if (current is null || time.GetUtcNow() - loadedAt >= Refresh)
        {
            current = await LoadAsync(cancellationToken);
        }

        return current.Contains((resourceType, resourceId));
    }

    public void Dispose() => gate.Dispose();

    private async Task<HashSet<(string, string)>> LoadAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cache is not null && time.GetUtcNow() - loadedAt < Refresh)
            {
                return cache;
            }

            await using var db = store.CreateContext();
            var rows = await db.Honeytokens.AsNoTracking().Select(h => new { h.ResourceType, h.ResourceId }).ToListAsync(cancellationToken);
            var loaded = rows.Select(r => (r.ResourceType, r.ResourceId)).ToHashSet();
            (cache, loadedAt) = (loaded, time.GetUtcNow());
            return loaded;
        }
        finally
        {
            gate.Release();
        }
    }
}
