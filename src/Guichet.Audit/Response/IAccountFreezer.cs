using Guichet.Privacy.Auditing;
using Microsoft.Extensions.Logging;

namespace Guichet.Audit.Response;

/// <summary>
/// Freezes an account at once: disabled, every session ended, every API key revoked. The
/// host's Identity implements it (same shape as its own freezer, so an adapter is one line
/// per member); the audit module calls it for critical alerts and after a two-person unfreeze.
/// Resolved in a fresh scope for each call.
/// </summary>
public interface IAccountFreezer
{
    /// <param name="userId">The actor id of the account, as it appears in audit entries.</param>
    /// <param name="reason">Rule name and alert id; no personal data.</param>
    /// <param name="actor">Who freezes (the system, for automatic responses).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when there is no such account.</returns>
    Task<bool> FreezeAsync(string userId, string reason, AuditActor actor, CancellationToken cancellationToken = default);

    /// <returns>False when there is no such account.</returns>
    Task<bool> UnfreezeAsync(string userId, AuditActor actor, CancellationToken cancellationToken = default);
}

/// <summary>Until the host registers Identity's freezer: the freeze is recorded in the ledger and logged loudly.</summary>
internal sealed partial class LoggingAccountFreezer(ILogger<LoggingAccountFreezer> logger) : IAccountFreezer
{
    public Task<bool> FreezeAsync(string userId, string reason, AuditActor actor, CancellationToken cancellationToken = default)
    {
        LogFreeze(logger, userId);
        return Task.FromResult(false);
    }

    public Task<bool> UnfreezeAsync(string userId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        LogUnfreeze(logger, userId);
        return Task.FromResult(false);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Critical, Message = "Account {UserId} must be frozen, but no account freezer is registered: nothing was disabled.")]
    private static partial void LogFreeze(ILogger logger, string userId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Account {UserId} was unfrozen by two approvers, but no account freezer is registered.")]
    private static partial void LogUnfreeze(ILogger logger, string userId);
}
