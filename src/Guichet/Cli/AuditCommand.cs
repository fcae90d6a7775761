using System.CommandLine;
using Guichet.Audit;

namespace Guichet.Cli;

/// <summary>
/// <c>guichet audit verify</c>: recomputes the ledger's hash chain and checks every signed
/// checkpoint against the external checkpoint file. Exit code 0 intact, 1 broken (the first
/// bad sequence number is printed), 2 cannot verify (no database, no checkpoint file, wrong key).
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var verify = new Command("verify", "Check the audit ledger: hash chain, checkpoint signatures, external checkpoint file") { dataDirectory };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            using var host = DbCommand.BuildHost(CommonOptions.Settings(parse, dataDirectory));
            var progress = new Progress<long>(checkedSoFar => Console.Error.Write($"\r  {checkedSoFar:N0} entries checked"));
            var exitCode = await AuditCommands.VerifyAsync(host.Services, Console.Out, progress, cancellationToken);
            await Console.Error.WriteLineAsync();
            return exitCode;
        });

        return new Command("audit", "The tamper-evident audit ledger") { verify };
    }
}
