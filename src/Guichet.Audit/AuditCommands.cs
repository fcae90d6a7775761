using System.Globalization;
using Guichet.Audit.Honeytokens;
using Guichet.Audit.Verification;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit;

/// <summary>
/// The work behind the audit module's CLI verbs. The host's verbs build the services the way
/// <c>serve</c> does and call these; tests call them the same way.
/// </summary>
public static class AuditCommands
{
    /// <summary><c>guichet audit verify</c>: prints the verdict; returns 0 intact, 1 broken, 2 cannot verify.</summary>
    public static async Task<int> VerifyAsync(IServiceProvider services, TextWriter output, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        LedgerVerdict verdict;
        try
        {
            verdict = await services.GetRequiredService<LedgerVerifier>().VerifyAsync(progress, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            // Configuration errors (unknown provider, invalid Audit options) are verdicts too.
            verdict = new LedgerVerdict(LedgerVerdictKind.CannotVerify, null, ex.Message, 0, 0, []);
        }

        await output.WriteLineAsync(Describe(verdict));
        foreach (var note in verdict.Notes)
        {
            await output.WriteLineAsync($"  note: {note}");
        }

        return verdict.ExitCode;
    }

    /// <summary><c>guichet honeytokens plant --count N</c>: plants N fake customers and watches them.</summary>
    public static async Task<int> PlantHoneytokensAsync(IServiceProvider services, int count, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        if (count is < 1 or > 1000)
        {
            await output.WriteLineAsync("--count must be between 1 and 1000.");
            return 2;
        }

        var planted = await services.GetRequiredService<HoneytokenRegistry>().PlantAsync(count, AuditActor.System, cancellationToken);
        // The ids are not printed: whoever reads a terminal log must not learn which customers are bait.
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Planted {planted.Count} honeytoken customer(s). Any lookup, reveal or export of one raises a critical alert and freezes the account."));
        return 0;
    }

    /// <summary>The one-line verdict the CLI prints and the chain page shows.</summary>
    public static string Describe(LedgerVerdict verdict) => verdict.Kind switch
    {
        LedgerVerdictKind.Intact => string.Create(CultureInfo.InvariantCulture, $"Audit ledger intact: {verdict.EntriesChecked:N0} entries, {verdict.CheckpointsChecked:N0} checkpoint signatures checked. {verdict.Reason}"),
        LedgerVerdictKind.Broken when verdict.FirstBadSequence is { } sequence => string.Create(CultureInfo.InvariantCulture, $"Audit ledger BROKEN at sequence {sequence}: {verdict.Reason}"),
        LedgerVerdictKind.Broken => $"Audit ledger BROKEN: {verdict.Reason}",
        _ => $"Audit ledger cannot be verified: {verdict.Reason}",
    };
}
