using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Guichet.Audit.Detection;

/// <summary>
/// Client addresses temporarily blocked after a burst of failed sign-ins. The host's
/// middleware consults it before sign-in; blocks always expire, so an attacker cannot lock
/// anyone out for good, and <c>Audit:Rules:FailedSignInsPerAddress:NeverBlock</c> keeps the
/// administrators' network reachable.
/// </summary>
public interface IClientBlocklist
{
    /// <returns>The end of the block, or null when the address is not blocked.</returns>
    DateTimeOffset? BlockedUntil(string clientAddress);

    /// <summary>Lifts a block early (an administrator's decision, audited by the caller).</summary>
    bool Unblock(string clientAddress);

    /// <summary>The blocks in force now, soonest to end first (for the administrators' page).</summary>
    IReadOnlyList<ClientBlock> Current();
}

/// <summary>A blocked client address and when its block ends.</summary>
public sealed record ClientBlock(string ClientAddress, DateTimeOffset Until);

internal sealed class ClientBlocklist(TimeProvider time, IOptions<AuditOptions> options) : IClientBlocklist
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> blocks = new(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset? BlockedUntil(string clientAddress)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        if (!blocks.TryGetValue(clientAddress, out var until))
        {
            return null;
        }

        if (until > time.GetUtcNow())
        {
            return until;
        }

        blocks.TryRemove(new KeyValuePair<string, DateTimeOffset>(clientAddress, until));
        return null;
    }

    public bool Unblock(string clientAddress) => blocks.TryRemove(clientAddress, out _);

    public IReadOnlyList<ClientBlock> Current()
    {
        var now = time.GetUtcNow();
        return [.. blocks.Where(b => b.Value > now).Select(b => new ClientBlock(b.Key, b.Value)).OrderBy(b => b.Until)];
    }

    /// <returns>The end of the block, or null when the address may never be blocked.</returns>
    public DateTimeOffset? Block(string clientAddress)
    {
        var rule = options.Value.Rules.FailedSignInsPerAddress;
        if (IsExempt(clientAddress, rule.NeverBlock))
        {
            return null;
        }

        var until = time.GetUtcNow() + rule.BlockFor;
        blocks[clientAddress] = until;
        return until;
    }

    internal static bool IsExempt(string clientAddress, IEnumerable<string> neverBlock)
    {
        if (!IPAddress.TryParse(clientAddress, out var address))
        {
            return false;
        }

        foreach (var entry in neverBlock)
        {
            if (IPAddress.TryParse(entry, out var exact) && exact.Equals(address))
            {
                return true;
            }

            if (IPNetwork.TryParse(entry, out var network) && network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
