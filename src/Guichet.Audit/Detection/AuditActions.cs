using Guichet.Audit.Storage;

namespace Guichet.Audit.Detection;

/// <summary>
/// How the rules read action names (docs/audit.md, "Action names"): modules name actions
/// <c>&lt;resource&gt;.&lt;verb&gt;</c>, and the rules look at the verb.
/// </summary>
internal static class AuditActions
{
    public static bool IsReveal(LedgerEntry entry) => Succeeded(entry) && entry.Action.EndsWith(".reveal", StringComparison.Ordinal);

    public static bool IsLookup(LedgerEntry entry) =>
        Succeeded(entry) && (entry.Action.EndsWith(".lookup", StringComparison.Ordinal) || entry.Action.EndsWith(".search", StringComparison.Ordinal));

    public static bool IsExport(LedgerEntry entry) => Succeeded(entry) && entry.Action.EndsWith(".export", StringComparison.Ordinal);

    public static bool IsPersonalDataAccess(LedgerEntry entry) => IsReveal(entry) || IsLookup(entry) || IsExport(entry);

    public static bool IsFailedSignIn(LedgerEntry entry) =>
        entry.Action.StartsWith("auth.signin", StringComparison.Ordinal) && entry.Outcome != "success";

    public static bool IsCustomer(LedgerEntry entry) => entry.ResourceType == "customer" && entry.ResourceId is not null;

    private static bool Succeeded(LedgerEntry entry) => entry.Outcome == "success";
}
