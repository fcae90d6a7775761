using Guichet.Audit.Honeytokens;
using Guichet.Audit.Ledger;
using Guichet.Audit.Response;
using Guichet.Audit.Storage;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.Options;

namespace Guichet.Audit.Detection;

/// <summary>
/// Evaluates the anomaly rules on each committed entry, in process, and hands findings to the
/// responder. State lives in memory (windows restart empty when the process restarts).
/// </summary>
internal sealed class AnomalyDetector(
    IOptions<AuditOptions> options,
    HoneytokenRegistry honeytokens,
    IBranchHoursProvider hours,
    AlertResponder responder) : ILedgerObserver
{
    private const int SweepEvery = 10_000;
    private readonly Lock gate = new();
    private readonly SlidingCounter reveals = new();
    private readonly SlidingCounter customers = new();
    private readonly SlidingCounter exports = new();
    private readonly SlidingCounter accountFailures = new();
    private readonly SlidingCounter addressFailures = new();
    private readonly SlidingCounter offHours = new();
    private long seen;

    public async ValueTask OnCommittedAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.ActorKind == "system")
        {
            return;
        }

        var findings = new List<Finding>();
        var actor = new AuditActor(AuditNames.ParseKind(entry.ActorKind), entry.ActorId);
        if (AuditActions.IsCustomer(entry) && await honeytokens.IsHoneytokenAsync(entry.ResourceType!, entry.ResourceId!, cancellationToken))
        {
            findings.Add(new Finding("honeytoken", AlertSeverity.Critical, actor, [entry.Sequence], Freeze: true));
        }

        lock (gate)
        {
            Evaluate(entry, actor, findings);
        }

        if (entry.BranchId is not null && options.Value.Rules.OffHours && entry.ActorKind == "staff" && AuditActions.IsPersonalDataAccess(entry)
            && await hours.IsOpenAsync(entry.BranchId, new DateTimeOffset(entry.OccurredAt, TimeSpan.Zero), cancellationToken) == false)
        {
            bool fire;
            lock (gate)
            {
                fire = offHours.TryFire(entry.ActorId, "alert", entry.OccurredAt, TimeSpan.FromHours(1));
            }

            if (fire)
            {
                findings.Add(new Finding("off-hours", AlertSeverity.Warning, actor, [entry.Sequence]));
            }
        }

        foreach (var finding in findings)
        {
            await responder.RespondAsync(finding, cancellationToken);
        }
    }

    private void Evaluate(LedgerEntry entry, AuditActor actor, List<Finding> findings)
    {
        var rules = options.Value.Rules;
        var at = entry.OccurredAt;
        if (AuditActions.IsReveal(entry))
        {
            var window = reveals.Add(entry.ActorId, at, entry.Sequence, rules.Reveals.Window);
            Rate("reveals", reveals, entry.ActorId, window.Count, window.Evidence, rules.Reveals, at, actor, findings);
        }

        if (AuditActions.IsCustomer(entry) && (AuditActions.IsReveal(entry) || AuditActions.IsLookup(entry)))
        {
            var window = customers.Add(entry.ActorId, at, entry.Sequence, rules.DistinctCustomers.Window, entry.ResourceId);
            Rate("distinct-customers", customers, entry.ActorId, window.Distinct, window.Evidence, rules.DistinctCustomers, at, actor, findings);
        }

        if (AuditActions.IsExport(entry))
        {
            var window = exports.Add(entry.ActorId, at, entry.Sequence, rules.Exports.Window);
            Rate("exports", exports, entry.ActorId, window.Count, window.Evidence, rules.Exports, at, actor, findings);
        }

        if (AuditActions.IsFailedSignIn(entry))
        {
            // A failure against an unknown user name names no account: counting those under
            // "anonymous" would raise one meaningless alert for every stranger's typo.
            if ((entry.ResourceId ?? (entry.ActorKind == "anonymous" ? null : entry.ActorId)) is { } account)
            {
                var window = accountFailures.Add(account, at, entry.Sequence, rules.FailedSignInsPerAccount.Window);
                var target = new AuditActor(AuditActorKind.Staff, account);
                Rate("failed-sign-ins-account", accountFailures, account, window.Count, window.Evidence, rules.FailedSignInsPerAccount, at, target, findings, canFreeze: false);
            }

            if (entry.ClientAddress is { } address)
            {
                EvaluateAddress(address, entry, rules.FailedSignInsPerAddress, findings);
            }
        }

        if (++seen % SweepEvery == 0)
        {
            Sweep(at);
        }
    }

    private void EvaluateAddress(string address, LedgerEntry entry, AddressRuleOptions rule, List<Finding> findings)
    {
        var window = addressFailures.Add(address, entry.OccurredAt, entry.Sequence, rule.Window);
        if (rule.AlertAbove > 0 && window.Count > rule.AlertAbove && addressFailures.TryFire(address, "block", entry.OccurredAt, rule.BlockFor))
        {
            findings.Add(new Finding("failed-sign-ins-address", AlertSeverity.Warning, new AuditActor(AuditActorKind.Anonymous, address), window.Evidence, BlockAddress: address));
        }
    }

    private static void Rate(string rule, SlidingCounter counter, string key, int count, long[] evidence, RateRuleOptions thresholds, DateTime at, AuditActor actor, List<Finding> findings, bool canFreeze = true)
    {
        if (canFreeze && thresholds.FreezeAbove > 0 && count > thresholds.FreezeAbove)
        {
            if (counter.TryFire(key, "freeze", at, thresholds.Window))
            {
                findings.Add(new Finding(rule, AlertSeverity.Critical, actor, evidence, Freeze: true));
            }

            return;
        }

        if (thresholds.AlertAbove > 0 && count > thresholds.AlertAbove && counter.TryFire(key, "alert", at, thresholds.Window))
        {
            findings.Add(new Finding(rule, AlertSeverity.Warning, actor, evidence));
        }
    }

    private void Sweep(DateTime now)
    {
        var rules = options.Value.Rules;
        reveals.Sweep(now, rules.Reveals.Window);
        customers.Sweep(now, rules.DistinctCustomers.Window);
        exports.Sweep(now, rules.Exports.Window);
        accountFailures.Sweep(now, rules.FailedSignInsPerAccount.Window);
        addressFailures.Sweep(now, rules.FailedSignInsPerAddress.Window > rules.FailedSignInsPerAddress.BlockFor ? rules.FailedSignInsPerAddress.Window : rules.FailedSignInsPerAddress.BlockFor);
        offHours.Sweep(now, TimeSpan.FromHours(1));
    }
}
