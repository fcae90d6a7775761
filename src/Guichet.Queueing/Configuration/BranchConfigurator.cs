using System.Security.Claims;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Live;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guichet.Queueing.Configuration;

/// <summary>
/// See <see cref="IBranchConfiguration"/>. Every change and its ledger entry are written in one
/// transaction (P5): both are durable or neither is, and a change the ledger cannot record is
/// not made (<see cref="AuditUnavailableException"/>).
/// </summary>
internal sealed class BranchConfigurator(
    QueueingDbContext db,
    QueueWriteGate gate,
    IQueueEvents events,
    IAuditTrailInTransaction ledger,
    TimeProvider time) : IBranchConfiguration
{
    public async Task<IReadOnlyList<BranchSettings>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var scope = BranchScope.FromPrincipal(user);
        var branches = await InScope(scope).AsNoTracking().OrderBy(b => b.Name).ToListAsync(cancellationToken);
        var ids = branches.Select(b => b.Id).ToList();
        var services = await db.Services.AsNoTracking().Where(s => ids.Contains(s.BranchId)).ToListAsync(cancellationToken);
        var counters = await db.Counters.AsNoTracking().Include(c => c.Services).Where(c => ids.Contains(c.BranchId)).ToListAsync(cancellationToken);
        return [.. branches.Select(b => Settings(b, services.Where(s => s.BranchId == b.Id), counters.Where(c => c.BranchId == b.Id)))];
    }

    public async Task<BranchSettings?> GetAsync(ClaimsPrincipal user, Guid branchId, CancellationToken cancellationToken)
    {
        var branch = await InScope(BranchScope.FromPrincipal(user)).AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, cancellationToken);
        return branch is null ? null : await SettingsAsync(branch, cancellationToken);
    }

    public async Task<ConfigurationResult<BranchSettings>> CreateBranchAsync(ClaimsPrincipal user, BranchInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = ConfigurationRules.Validate(input, out var valid);
        if (errors.Count > 0)
        {
            return ConfigurationResult<BranchSettings>.Invalid(errors);
        }

        var branch = new Branch
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = valid.Name,
            TimeZoneId = valid.TimeZone,
            OpeningHours = valid.OpeningHours,
            ShowMaskedNames = valid.ShowMaskedNames,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        AuditReceipt recorded;
        try
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                db.Branches.Add(branch);
                recorded = await CommitWithEntryAsync(transaction, Entry(user, clientAddress, "queue.branch.created", "branch", branch.Id, branch.Id), cancellationToken);
            }
        }
        catch (AuditUnavailableException)
        {
            db.ChangeTracker.Clear();
            return ConfigurationResult<BranchSettings>.Unavailable();
        }

        await AfterChangeAsync(recorded, branch.Id, cancellationToken);
        return ConfigurationResult<BranchSettings>.Ok(await SettingsAsync(branch, cancellationToken));
    }

    public async Task<ConfigurationResult<BranchSettings>> UpdateBranchAsync(ClaimsPrincipal user, Guid branchId, BranchInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        Branch? branch;
        AuditReceipt recorded;
        try
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                branch = await InScope(BranchScope.FromPrincipal(user)).FirstOrDefaultAsync(b => b.Id == branchId, cancellationToken);
                if (branch is null)
                {
                    return ConfigurationResult<BranchSettings>.NotFound();
                }

                var errors = ConfigurationRules.Validate(input, out var valid);
                if (errors.Count > 0)
                {
                    return ConfigurationResult<BranchSettings>.Invalid(errors);
                }

                branch.Name = valid.Name;
                branch.TimeZoneId = valid.TimeZone;
                branch.OpeningHours = valid.OpeningHours;
                branch.ShowMaskedNames = valid.ShowMaskedNames;
                recorded = await CommitWithEntryAsync(transaction, Entry(user, clientAddress, "queue.branch.updated", "branch", branch.Id, branch.Id), cancellationToken);
            }
        }
        catch (AuditUnavailableException)
        {
            db.ChangeTracker.Clear();
            return ConfigurationResult<BranchSettings>.Unavailable();
        }

        await AfterChangeAsync(recorded, branch.Id, cancellationToken);
        return ConfigurationResult<BranchSettings>.Ok(await SettingsAsync(branch, cancellationToken));
    }

    public Task<ConfigurationResult<ServiceSettings>> CreateServiceAsync(ClaimsPrincipal user, Guid branchId, ServiceInput input, string? clientAddress, CancellationToken cancellationToken) =>
        SaveServiceAsync(user, branchId, null, input, clientAddress, cancellationToken);

    public async Task<ConfigurationResult<ServiceSettings>> UpdateServiceAsync(ClaimsPrincipal user, Guid serviceId, ServiceInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        var scope = BranchScope.FromPrincipal(user);
        var branchId = await db.Services.AsNoTracking()
            .Where(s => s.Id == serviceId && (scope.AllBranches || scope.BranchIds.Contains(s.BranchId)))
            .Select(s => (Guid?)s.BranchId).FirstOrDefaultAsync(cancellationToken);
        return branchId is { } id
            ? await SaveServiceAsync(user, id, serviceId, input, clientAddress, cancellationToken)
            : ConfigurationResult<ServiceSettings>.NotFound();
    }

    public Task<ConfigurationResult<CounterSettings>> CreateCounterAsync(ClaimsPrincipal user, Guid branchId, CounterInput input, string? clientAddress, CancellationToken cancellationToken) =>
        SaveCounterAsync(user, branchId, null, input, clientAddress, cancellationToken);

    public async Task<ConfigurationResult<CounterSettings>> UpdateCounterAsync(ClaimsPrincipal user, Guid counterId, CounterInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        var scope = BranchScope.FromPrincipal(user);
        var branchId = await db.Counters.AsNoTracking()
            .Where(c => c.Id == counterId && (scope.AllBranches || scope.BranchIds.Contains(c.BranchId)))
            .Select(c => (Guid?)c.BranchId).FirstOrDefaultAsync(cancellationToken);
        return branchId is { } id
            ? await SaveCounterAsync(user, id, counterId, input, clientAddress, cancellationToken)
            : ConfigurationResult<CounterSettings>.NotFound();
    }

    private async Task<ConfigurationResult<ServiceSettings>> SaveServiceAsync(
        ClaimsPrincipal user, Guid branchId, Guid? serviceId, ServiceInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        Service? service;
        AuditReceipt recorded;
        try
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (!await InScope(BranchScope.FromPrincipal(user)).AnyAsync(b => b.Id == branchId, cancellationToken))
                {
                    return ConfigurationResult<ServiceSettings>.NotFound();
                }

                var errors = ConfigurationRules.Validate(input, out var valid);
                if (valid.Prefix is { } prefix
                    && await db.Services.AnyAsync(s => s.BranchId == branchId && s.Prefix == prefix && s.Id != serviceId, cancellationToken))
                {
                    errors["prefix"] = [$"Another service of this branch already uses the prefix {prefix}."];
                }

                if (errors.Count > 0)
                {
                    return ConfigurationResult<ServiceSettings>.Invalid(errors);
                }

                if (serviceId is { } id)
                {
                    service = await db.Services.FirstAsync(s => s.Id == id, cancellationToken);
                }
                else
                {
                    var order = await db.Services.Where(s => s.BranchId == branchId).MaxAsync(s => (int?)s.DisplayOrder, cancellationToken) ?? 0;
                    service = new Service
                    {
                        Id = Guid.CreateVersion7(time.GetUtcNow()),
                        BranchId = branchId,
                        Name = valid.Name,
                        BusinessType = valid.BusinessType,
                        Prefix = valid.Prefix!,
                        DisplayOrder = order + 1,
                    };
                    db.Services.Add(service);
                }

                valid.ApplyTo(service);
                var action = serviceId is null ? "queue.service.created" : "queue.service.updated";
                recorded = await CommitWithEntryAsync(transaction, Entry(user, clientAddress, action, "service", service.Id, branchId), cancellationToken);
            }
        }
        catch (AuditUnavailableException)
        {
            db.ChangeTracker.Clear();
            return ConfigurationResult<ServiceSettings>.Unavailable();
        }

        await AfterChangeAsync(recorded, branchId, cancellationToken);
        return ConfigurationResult<ServiceSettings>.Ok(Settings(service));
    }

    private async Task<ConfigurationResult<CounterSettings>> SaveCounterAsync(
        ClaimsPrincipal user, Guid branchId, Guid? counterId, CounterInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        Counter? counter;
        AuditReceipt recorded;
        try
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (!await InScope(BranchScope.FromPrincipal(user)).AnyAsync(b => b.Id == branchId, cancellationToken))
                {
                    return ConfigurationResult<CounterSettings>.NotFound();
                }

                var errors = ConfigurationRules.Validate(input, out var valid);
                if (valid.WindowNumber is { } window
                    && await db.Counters.AnyAsync(c => c.BranchId == branchId && c.WindowNumber == window && c.Id != counterId, cancellationToken))
                {
                    errors["windowNumber"] = [$"Another counter of this branch is already window {window}."];
                }

                if (valid.ServiceIds.Count > 0)
                {
                    var ids = valid.ServiceIds;
                    var known = await db.Services.CountAsync(s => s.BranchId == branchId && ids.Contains(s.Id), cancellationToken);
                    if (known != ids.Count)
                    {
                        errors["serviceIds"] = ["Every service of a counter must be a service of this branch."];
                    }
                }

                if (errors.Count > 0)
                {
                    return ConfigurationResult<CounterSettings>.Invalid(errors);
                }

                if (counterId is { } id)
                {
                    counter = await db.Counters.Include(c => c.Services).FirstAsync(c => c.Id == id, cancellationToken);
                    counter.Name = valid.Name;
                    counter.WindowNumber = valid.WindowNumber!.Value;
                    counter.Services.RemoveAll(s => !valid.ServiceIds.Contains(s.ServiceId));
                    counter.Services.AddRange(valid.ServiceIds.Where(s => counter.Services.All(c => c.ServiceId != s)).Select(s => new CounterService { ServiceId = s }));
                }
                else
                {
                    counter = new Counter
                    {
                        Id = Guid.CreateVersion7(time.GetUtcNow()),
                        BranchId = branchId,
                        Name = valid.Name,
                        WindowNumber = valid.WindowNumber!.Value,
                        Services = [.. valid.ServiceIds.Select(s => new CounterService { ServiceId = s })],
                    };
                    db.Counters.Add(counter);
                }

                var action = counterId is null ? "queue.counter.created" : "queue.counter.updated";
                recorded = await CommitWithEntryAsync(transaction, Entry(user, clientAddress, action, "counter", counter.Id, branchId), cancellationToken);
            }
        }
        catch (AuditUnavailableException)
        {
            db.ChangeTracker.Clear();
            return ConfigurationResult<CounterSettings>.Unavailable();
        }

        await AfterChangeAsync(recorded, branchId, cancellationToken);
        return ConfigurationResult<CounterSettings>.Ok(Settings(counter));
    }

    private IQueryable<Branch> InScope(BranchScope scope) =>
        db.Branches.Where(b => scope.AllBranches || scope.BranchIds.Contains(b.Id));

    /// <summary>Saves the change and its ledger entry (ids only), and commits them together.</summary>
    private async Task<AuditReceipt> CommitWithEntryAsync(IDbContextTransaction transaction, AuditEvent entry, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        return await ledger.CommitWithEntryAsync(transaction, entry, cancellationToken);
    }

    /// <summary>Live screens re-read the branch; the anomaly rules see the committed entry.</summary>
    private async Task AfterChangeAsync(AuditReceipt recorded, Guid branchId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        events.Publish(new QueueChange(branchId));
        await ledger.CommittedAsync(recorded, cancellationToken);
    }

    private static AuditEvent Entry(ClaimsPrincipal user, string? clientAddress, string action, string resourceType, Guid resourceId, Guid branchId) =>
        new(action, ActorOf(user), AuditOutcome.Success, resourceType, resourceId.ToString(), ClientAddress: clientAddress, BranchId: branchId.ToString());

    private static AuditActor ActorOf(ClaimsPrincipal user)
    {
        var id = user.FindFirst(GuichetClaimTypes.ActorId)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "unknown";
        var kind = user.FindFirst(GuichetClaimTypes.ActorKind)?.Value switch
        {
            "api-client" => AuditActorKind.ApiClient,
            "device" => AuditActorKind.Device,
            _ => AuditActorKind.Staff,
        };
        return new AuditActor(kind, id);
    }

    private async Task<BranchSettings> SettingsAsync(Branch branch, CancellationToken cancellationToken)
    {
        var services = await db.Services.AsNoTracking().Where(s => s.BranchId == branch.Id).ToListAsync(cancellationToken);
        var counters = await db.Counters.AsNoTracking().Include(c => c.Services).Where(c => c.BranchId == branch.Id).ToListAsync(cancellationToken);
        return Settings(branch, services, counters);
    }

    private static BranchSettings Settings(Branch branch, IEnumerable<Service> services, IEnumerable<Counter> counters) => new(
        branch.Id,
        branch.Name,
        branch.TimeZoneId,
        branch.OpeningHours.ToString(),
        branch.ShowMaskedNames,
        [.. services.OrderBy(s => s.DisplayOrder).ThenBy(s => s.Prefix, StringComparer.Ordinal).Select(Settings)],
        [.. counters.OrderBy(c => c.WindowNumber).Select(Settings)]);

    private static ServiceSettings Settings(Service s) => new(
        s.Id, s.BranchId, s.Name, s.BusinessType, s.Prefix, s.DailyCap, s.WaitingWarningLevel, s.DefaultServiceMinutes,
        s.ServiceHours?.ToString(), s.CollectsPhone, s.PhonePurpose, s.CollectsIdNumber, s.IdNumberPurpose);

    private static CounterSettings Settings(Counter c) =>
        new(c.Id, c.BranchId, c.Name, c.WindowNumber, [.. c.Services.Select(s => s.ServiceId).Order()]);
}
