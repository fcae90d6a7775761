using Microsoft.Extensions.Logging;

namespace Guichet.Privacy;

/// <summary>The kernel's log messages: ids and counts only, never a value or key material.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Created a new root key file in {KeyDirectory}")]
    public static partial void RootKeyCreated(ILogger logger, string keyDirectory);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Root key opened: {Description}")]
    public static partial void RootKeyOpened(ILogger logger, string description);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Keys are unsealed: the root key file has no passphrase. Set GUICHET_KEY_PASSPHRASE or Privacy:PassphraseFile, or use a PKCS#11 token (docs/privacy.md).")]
    public static partial void KeysUnsealed(ILogger logger);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Security: key {KeyId} version {Version} did not unwrap under the configured root key")]
    public static partial void KeyUnwrapFailed(ILogger logger, uint keyId, uint version);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "A data subject's key was destroyed (erasure)")]
    public static partial void SubjectKeyDestroyed(ILogger logger);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Security: protected value {Entity}.{Field} row {RowId} is unreadable ({Reason})")]
    public static partial void FieldUnreadable(ILogger logger, string entity, string field, string rowId, Crypto.UnreadableReason reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Reveal of {Entity}.{Field} row {RowId} refused: the audit trail could not record it")]
    public static partial void RevealAuditUnavailable(ILogger logger, string entity, string field, string rowId, Exception exception);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Reveal of {Entity}.{Field} row {RowId} denied for role {Role}")]
    public static partial void RevealDenied(ILogger logger, string entity, string field, string rowId, Access.StaffRole role);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Rotated {Count} data keys")]
    public static partial void KeysRotated(ILogger logger, int count);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Retired key {KeyId} version {Version}: no protected value uses it")]
    public static partial void KeyVersionRetired(ILogger logger, uint keyId, uint version);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Retired {Count} old subject key versions: no protected value uses them")]
    public static partial void SubjectKeyVersionsRetired(ILogger logger, int count);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error, Message = "Could not make {Count} new data subjects' keys in advance; new customers wait until the key ring takes writes again")]
    public static partial void SubjectKeysNotMade(ILogger logger, int count, Exception exception);
}
