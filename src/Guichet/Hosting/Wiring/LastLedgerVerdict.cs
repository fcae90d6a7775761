using Guichet.Audit.Verification;

namespace Guichet.Hosting.Wiring;

/// <summary>The last chain verification run from the auditors' page, shown until the next one (kept in memory).</summary>
internal sealed class LastLedgerVerdict(TimeProvider time)
{
    private Checked? current;

    public Checked? Current => Volatile.Read(ref current);

    public void Set(LedgerVerdict verdict, string by) => Volatile.Write(ref current, new Checked(verdict, time.GetUtcNow(), by));

    public sealed record Checked(LedgerVerdict Verdict, DateTimeOffset At, string By);
}
