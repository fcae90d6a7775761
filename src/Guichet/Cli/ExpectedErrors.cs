using System.CommandLine;
using System.CommandLine.Invocation;
using System.Data.Common;
using Guichet.Hosting;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Keys;
using Microsoft.Extensions.Options;

namespace Guichet.Cli;

/// <summary>
/// Wraps every verb's action: an error an operator can fix (wrong passphrase, missing token or
/// PIN, invalid setting, unreachable database) becomes one line on standard error naming what is
/// wrong, and exit code 2. No stack trace, and nothing but the error's own message, which never
/// holds personal data or key material. Anything else is a bug and keeps the default report.
/// </summary>
internal sealed class ExpectedErrors(CommandLineAction inner) : AsynchronousCommandLineAction
{
    public const int ExitConfiguration = 2;

    /// <summary>Wraps the actions of <paramref name="command"/> and all its subcommands.</summary>
    public static void Guard(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Action is { } action and not ExpectedErrors)
        {
            command.Action = new ExpectedErrors(action);
        }

        foreach (var subcommand in command.Subcommands)
        {
            Guard(subcommand);
        }
    }

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        try
        {
            return inner switch
            {
                AsynchronousCommandLineAction asynchronous => await asynchronous.InvokeAsync(parseResult, cancellationToken),
                SynchronousCommandLineAction synchronous => synchronous.Invoke(parseResult),
                _ => throw new InvalidOperationException("Unknown command action."),
            };
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync("guichet: " + message);
            return ExitConfiguration;
        }
    }

    /// <summary>The one-line message for an expected error, or null when <paramref name="error"/> is not one.</summary>
    internal static string? Describe(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case KeyProviderException:
                case HostConfigurationException:
                    return OneLine(current.Message);
                case AuditUnavailableException:
                    return OneLine(current.Message) + " Nothing was done.";
                case OptionsValidationException invalid:
                    return "invalid configuration: " + OneLine(string.Join(" ", invalid.Failures));
                case DbException database:
                    return "the database could not be used (check ConnectionStrings:Guichet and Database:Provider): " + OneLine(database.Message);
                case UnauthorizedAccessException denied:
                    return "permission denied (check the owner of the data directory): " + OneLine(denied.Message);
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return Describe(aggregate.InnerExceptions[0]);
                default:
                    break;
            }
        }

        return null;
    }

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
