namespace Guichet.Audit.Verification;

/// <summary>What <c>guichet audit verify</c> concluded.</summary>
public enum LedgerVerdictKind
{
    /// <summary>The chain, every signature and the external checkpoints agree. Exit code 0.</summary>
    Intact = 0,

    /// <summary>The ledger was altered or damaged; <see cref="LedgerVerdict.FirstBadSequence"/> says where. Exit code 1.</summary>
    Broken = 1,

    /// <summary>The ledger could not be checked (no database, no checkpoint file, wrong key provider). Exit code 2.</summary>
    CannotVerify = 2,
}

/// <param name="Kind">The verdict.</param>
/// <param name="FirstBadSequence">The first sequence number that cannot be trusted, when the ledger is broken.</param>
/// <param name="Reason">One sentence an operator can act on.</param>
/// <param name="EntriesChecked">Entries whose hash was recomputed and matched.</param>
/// <param name="CheckpointsChecked">Signed checkpoints (database and external file) whose signature was checked.</param>
/// <param name="Notes">Other findings that do not change the verdict on their own.</param>
public sealed record LedgerVerdict(
    LedgerVerdictKind Kind,
    long? FirstBadSequence,
    string Reason,
    long EntriesChecked,
    int CheckpointsChecked,
    IReadOnlyList<string> Notes)
{
    public int ExitCode => (int)Kind;
}
