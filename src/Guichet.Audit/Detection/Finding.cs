using Guichet.Privacy.Auditing;

namespace Guichet.Audit.Detection;

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>What a rule concluded about one actor (or one client address).</summary>
internal sealed record Finding(
    string Rule,
    AlertSeverity Severity,
    AuditActor Actor,
    IReadOnlyList<long> Evidence,
    bool Freeze = false,
    string? BlockAddress = null);
