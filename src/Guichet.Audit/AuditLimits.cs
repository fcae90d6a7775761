namespace Guichet.Audit;

/// <summary>Column sizes of the ledger; the writer rejects longer values before they queue.</summary>
internal static class AuditLimits
{
    public const int ActorKind = 16;
    public const int Identifier = 128;
    public const int Action = 64;
    public const int ResourceType = 64;
    public const int Purpose = 256;
    public const int Outcome = 16;
    public const int ClientAddress = 64;
}
