using System.Net;

namespace Guichet.Audit.Detection;

/// <summary>Section <c>Audit:Rules</c>: one threshold set per anomaly rule (0 turns a level off).</summary>
public sealed class AuditRulesOptions
{
    /// <summary>Successful reveals per staff member: alert above 20 in 10 minutes, freeze above 50.</summary>
    public RateRuleOptions Reveals { get; set; } = new() { Window = TimeSpan.FromMinutes(10), AlertAbove = 20, FreezeAbove = 50 };

    /// <summary>Distinct customers a staff member looked up or revealed in the window.</summary>
    public RateRuleOptions DistinctCustomers { get; set; } = new() { Window = TimeSpan.FromHours(1), AlertAbove = 60, FreezeAbove = 200 };

    /// <summary>Exports per staff member in the window.</summary>
    public RateRuleOptions Exports { get; set; } = new() { Window = TimeSpan.FromDays(1), AlertAbove = 5, FreezeAbove = 0 };

    /// <summary>Failed sign-ins against one account.</summary>
    public RateRuleOptions FailedSignInsPerAccount { get; set; } = new() { Window = TimeSpan.FromMinutes(15), AlertAbove = 10, FreezeAbove = 0 };

    /// <summary>Failed sign-ins from one client address; above the alert level the address is blocked for a while.</summary>
    public AddressRuleOptions FailedSignInsPerAddress { get; set; } = new();

    /// <summary>Personal-data access while the branch is closed raises a warning alert.</summary>
    public bool OffHours { get; set; } = true;

    internal void Validate(List<string> failures)
    {
        Reveals.Validate("Reveals", failures);
        DistinctCustomers.Validate("DistinctCustomers", failures);
        Exports.Validate("Exports", failures);
        FailedSignInsPerAccount.Validate("FailedSignInsPerAccount", failures);
        FailedSignInsPerAddress.Validate("FailedSignInsPerAddress", failures);
        if (FailedSignInsPerAddress.BlockFor <= TimeSpan.Zero || FailedSignInsPerAddress.BlockFor > TimeSpan.FromDays(1))
        {
            failures.Add("Audit:Rules:FailedSignInsPerAddress:BlockFor must be positive and at most one day: blocks are temporary.");
        }

        foreach (var entry in FailedSignInsPerAddress.NeverBlock)
        {
            if (!IPNetwork.TryParse(entry, out _) && !IPAddress.TryParse(entry, out _))
            {
                failures.Add("Audit:Rules:FailedSignInsPerAddress:NeverBlock holds an entry that is neither an address nor a network (CIDR).");
            }
        }
    }
}

/// <summary>A count over a sliding window: alert above one level, freeze the actor above another.</summary>
public class RateRuleOptions
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Alert when the count exceeds this; 0 = never.</summary>
    public int AlertAbove { get; set; }

    /// <summary>Freeze the actor when the count exceeds this; 0 = never.</summary>
    public int FreezeAbove { get; set; }

    internal void Validate(string name, List<string> failures)
    {
        if (Window <= TimeSpan.Zero || Window > TimeSpan.FromDays(7))
        {
            failures.Add($"Audit:Rules:{name}:Window must be positive and at most seven days.");
        }

        if (AlertAbove < 0 || FreezeAbove < 0)
        {
            failures.Add($"Audit:Rules:{name} thresholds must not be negative.");
        }

        if (AlertAbove > 0 && FreezeAbove > 0 && FreezeAbove < AlertAbove)
        {
            failures.Add($"Audit:Rules:{name}:FreezeAbove must not be below AlertAbove.");
        }
    }
}

/// <summary>Failed sign-ins per client address, with a temporary block.</summary>
public sealed class AddressRuleOptions : RateRuleOptions
{
    public AddressRuleOptions()
    {
        Window = TimeSpan.FromMinutes(5);
        AlertAbove = 20;
    }

    /// <summary>How long a bursting address stays blocked (at most one day).</summary>
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Addresses or networks (CIDR) never blocked, e.g. the administrators' network.</summary>
    public IList<string> NeverBlock { get; } = [];
}
