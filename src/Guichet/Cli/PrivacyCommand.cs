using System.CommandLine;
using Guichet.Privacy;
using Guichet.Privacy.Classification;

namespace Guichet.Cli;

/// <summary><c>guichet privacy register</c>: the data register, generated from the code.</summary>
internal static class PrivacyCommand
{
    public static Command Create()
    {
        var command = new Command("privacy", "Personal data: the data register");
        command.Subcommands.Add(Register());
        return command;
    }

    private static Command Register()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var format = new Option<string>("--format") { Description = "markdown or json", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong("markdown", "json");
        var output = new Option<string?>("--output") { Description = "Write to this file instead of the console" };
        var command = new Command("register", "Print every personal field: category, purpose, retention, where it is stored, who sees it masked, who may reveal it")
        {
            dataDirectory, format, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Reading the models needs no keys and no database connection.
            await using var services = PrivacyCliServices.Build(CommonOptions.Settings(parse, dataDirectory));
            var register = PrivacyModule.BuildDataRegister(services);
            var text = parse.GetValue(format) == "json" ? DataRegister.ToJson(register) : DataRegister.ToMarkdown(register);
            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, text, cancellationToken);
            }
            else
            {
                Console.Write(text);
            }

            return 0;
        });
        return command;
    }
}
