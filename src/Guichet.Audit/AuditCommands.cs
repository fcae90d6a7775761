using System.Globalization;
using Guichet.Audit.Honeytokens;
using Guichet.Audit.Ledger;
using Guichet.Audit.Verification;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Keys;
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
        catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException or KeyProviderException)
        {
            // Configuration errors (unknown provider, invalid Audit options) and a key provider
            // that cannot open (wrong passphrase, missing token) are verdicts too.
            verdict = new LedgerVerdict(LedgerVerdictKind.CannotVerify, null, ex.Message, 0, 0, []);
        }

        await output.WriteLineAsync(Describe(verdict));
        foreach (var note in verdict.Notes)
        {
            await output.WriteLineAsync($"  note: {note}");
        }

        return verdict.ExitCode;
    }

    /// <summary>
    /// <c>guichet honeytokens plant --count N</c>: plants N fake customers and watches them.
    /// Returns 0 when planted, 2 when nothing was planted (bad count, a key provider that
    /// cannot open); the reason is one line on <paramref name="errors"/> (default: <paramref name="output"/>).
    /// </summary>
    public static async Task<int> PlantHoneytokensAsync(IServiceProvider services, int count, TextWriter output, CancellationToken cancellationToken, TextWriter? errors = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        errors ??= output;
        if (count is < 1 or > 1000)
        {
            await errors.WriteLineAsync("--count must be between 1 and 1000.");
            return 2;
        }

        try
        {
            // The batch's ledger entry must be signed into a checkpoint: a key provider that
            // cannot open (wrong passphrase, missing token) stops the command before anything is planted.
            await services.GetRequiredService<CheckpointSigner>().PrepareAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is KeyProviderException or System.Security.Cryptography.CryptographicException)
        {
            await errors.WriteLineAsync($"guichet: cannot plant honeytokens: {OneLine(ex.Message)}");
            return 2;
        }

        var planted = await services.GetRequiredService<HoneytokenRegistry>().PlantAsync(count, AuditActor.System, cancellationToken);
        // The ids are not printed: whoever reads a terminal log must not learn which customers are bait.
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Planted {planted.Count} honeytoken customer(s). Any lookup, reveal or export of one raises a critical alert and freezes the account."));
        return 0;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>The one-line verdict the CLI prints and the chain page shows.</summary>
    public static string Describe(LedgerVerdict verdict) => verdict.Kind switch
    {
        LedgerVerdictKind.Intact => string.Create(CultureInfo.InvariantCulture, $"Audit ledger intact: {verdict.EntriesChecked:N0} entries, {verdict.CheckpointsChecked:N0} checkpoint signatures checked. {verdict.Reason}"),
        LedgerVerdictKind.Broken when verdict.FirstBadSequence is { } sequence => string.Create(CultureInfo.InvariantCulture, $"Audit ledger BROKEN at sequence {sequence}: {verdict.Reason}"),
        LedgerVerdictKind.Broken => $"Audit ledger BROKEN: {verdict.Reason}",
        _ => $"Audit ledger cannot be verified: {verdict.Reason}",
    };
}
