using System.CommandLine;

namespace Guichet.Cli;

/// <summary>
/// The one executable's verbs. Every verb takes <c>--data-dir</c> and reads the same
/// configuration as <c>serve</c> (the data directory's guichet.json and GUICHET_ environment
/// variables), so an operator configures Guichet once. Errors an operator can fix end every
/// verb the same way: one line on standard error and exit code 2 (<see cref="ExpectedErrors"/>).
/// </summary>
internal static class GuichetCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Guichet — a privacy-first service hall, appointments and contact centre.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(HoneytokensCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(PrivacyCommand.Create());
        root.Subcommands.Add(IdentityCommands.Admin());
        root.Subcommands.Add(IdentityCommands.ApiKey());
        root.Subcommands.Add(IdentityCommands.Device());
        ExpectedErrors.Guard(root);
        return root;
    }
}
