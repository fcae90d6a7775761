using Guichet.Privacy.Auditing;

namespace Guichet.Audit.Ledger;

/// <summary>
/// Rejects events that would not fit the ledger or that look like they carry a personal
/// value. A rejected event is a programming error in the caller; the guarded operation
/// fails, as it would if the ledger were down.
/// </summary>
internal static class AuditEventValidation
{
    /// <summary>A run this long of digits looks like a phone or ID number, never like a purpose.</summary>
    private const int SuspiciousDigitRun = 6;

    public static void Validate(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentNullException.ThrowIfNull(auditEvent.Actor);
        Require(auditEvent.Action, AuditLimits.Action, "Action");
        if (!auditEvent.Action.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_'))
        {
            throw new ArgumentException("Action must be a dotted lower-case name such as customer.reveal.", nameof(auditEvent));
        }

        Require(auditEvent.Actor.Id, AuditLimits.Identifier, "Actor id");
        Limit(auditEvent.ResourceType, AuditLimits.ResourceType, "Resource type");
        Limit(auditEvent.ResourceId, AuditLimits.Identifier, "Resource id");
        Limit(auditEvent.Purpose, AuditLimits.Purpose, "Purpose");
        Limit(auditEvent.ClientAddress, AuditLimits.ClientAddress, "Client address");
        Limit(auditEvent.CorrelationId, AuditLimits.Identifier, "Correlation id");
        Limit(auditEvent.BranchId, AuditLimits.Identifier, "Branch id");
        if (auditEvent.Purpose is { } purpose && LooksPersonal(purpose))
        {
            throw new ArgumentException("Purpose must state why, not carry a phone number, ID number or e-mail address.", nameof(auditEvent));
        }
    }

    internal static bool LooksPersonal(string text)
    {
        if (text.Contains('@', StringComparison.Ordinal))
        {
            return true;
        }

        var run = 0;
        foreach (var c in text)
        {
            if (char.IsDigit(c))
            {
                if (++run >= SuspiciousDigitRun)
                {
                    return true;
                }
            }
            else if (c is not (' ' or '-' or '.'))
            {
                run = 0;
            }
        }

        return false;
    }

    private static void Require(string? value, int limit, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} is required in an audit event.", nameof(value));
        }

        Limit(value, limit, name);
    }

    private static void Limit(string? value, int limit, string name)
    {
        if (value is not null && value.Length > limit)
        {
            throw new ArgumentException($"{name} is longer than {limit} characters.", nameof(value));
        }
    }
}
