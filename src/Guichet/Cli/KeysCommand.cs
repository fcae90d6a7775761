using System.CommandLine;
using System.Globalization;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Rotation;
using Spectre.Console;

namespace Guichet.Cli;

/// <summary><c>guichet keys rotate|rewrap|status</c>: data key rotation without downtime.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Data keys: rotate, re-encrypt old values, show versions and their use");
        command.Subcommands.Add(Rotate());
        command.Subcommands.Add(Rewrap());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Command Rotate()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var purpose = new Option<string?>("--purpose") { Description = "Rotate only this purpose key (default: every purpose and subject key)" };
        var command = new Command("rotate", "Add a new version to the data keys; new writes use it at once (running instances within a minute)")
        {
            dataDirectory, purpose,
        };
        command.SetAction((parse, cancellationToken) => PrivacyCliServices.RunAsync(
            new ParseResultSettings(CommonOptions.Settings(parse, dataDirectory), cancellationToken),
            async services =>
            {
                var only = parse.GetValue(purpose) is { } name ? KeyScope.Purpose(name) : (KeyScope?)null;
                await PrivacyCliServices.RecordKeyOperationAsync(services, "keys.rotate", only?.Name, cancellationToken);
                var count = await services.GetRequiredService<KeyRotation>().RotateAsync(only, cancellationToken);
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"Added a new version to [bold]{count}[/] data key(s). Run [bold]guichet keys rewrap[/] to re-encrypt existing values.");
                return 0;
            }));
        return command;
    }

    private static Command Rewrap()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var batchSize = new Option<int>("--batch-size") { Description = "Values re-encrypted per transaction", DefaultValueFactory = _ => 500 };
        var command = new Command("rewrap", "Re-encrypt values under older key versions with the current ones, in batches; resumes where it stopped; retires unused versions")
        {
            dataDirectory, batchSize,
        };
        command.SetAction((parse, cancellationToken) => PrivacyCliServices.RunAsync(
            new ParseResultSettings(CommonOptions.Settings(parse, dataDirectory), cancellationToken),
            async services =>
            {
                var size = parse.GetValue(batchSize);
                if (size < 1)
                {
                    await Console.Error.WriteLineAsync("guichet: --batch-size must be at least 1.");
                    return 1;
                }

                await PrivacyCliServices.RecordKeyOperationAsync(services, "keys.rewrap", null, cancellationToken);
                var rotation = services.GetRequiredService<KeyRotation>();
                RewrapSummary? summary = null;
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask("Re-encrypting", maxValue: 1);
                        var progress = new Progress<RewrapProgress>(p =>
                        {
                            task.MaxValue = Math.Max(p.Total, 1);
                            task.Value = p.Scanned;
                            task.Description = p.Source;
                        });
                        summary = await rotation.RewrapAsync(size, progress, maxBatches: null, cancellationToken);
                        task.Value = task.MaxValue;
                    });

                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"Scanned [bold]{summary!.Scanned}[/] values, re-encrypted [bold]{summary.Rewrapped}[/], unreadable (erased or damaged) {summary.Unreadable}.");
                foreach (var retired in summary.Retired.Where(r => !r.Scope.IsSubject))
                {
                    AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"Retired {Markup.Escape(retired.Scope.Name)} version {retired.Version}: nothing uses it.");
                }

                var subjects = summary.Retired.Count(r => r.Scope.IsSubject);
                if (subjects > 0)
                {
                    AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"Retired {subjects} old subject key version(s).");
                }

                return 0;
            }));
        return command;
    }

    private static Command Status()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var command = new Command("status", "Show key versions and how many stored values each still protects") { dataDirectory };
        command.SetAction((parse, cancellationToken) => PrivacyCliServices.RunAsync(
            new ParseResultSettings(CommonOptions.Settings(parse, dataDirectory), cancellationToken),
            async services =>
            {
                var rootKey = services.GetRequiredService<RootKeyHolder>().RootKey;
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"Root key: [bold]{Markup.Escape(rootKey.Description)}[/]");
                var usage = await services.GetRequiredService<KeyRotation>().StatusAsync(cancellationToken);
                var table = new Table().AddColumns("key", "version", "state", "created (UTC)", "values");
                foreach (var row in usage.Where(u => !u.Version.Scope.IsSubject))
                {
                    table.AddRow(
                        Markup.Escape(row.Version.Scope.Name),
                        row.Version.Version.ToString(CultureInfo.InvariantCulture),
                        row.Version.RetiredAt is not null ? "retired" : row.Version.IsCurrent ? "current" : "old",
                        row.Version.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                        row.Version.Scope == KeyScope.IndexRoot ? "n/a" : row.Values.ToString(CultureInfo.InvariantCulture));
                }

                // Subject keys (one per customer) are summarized per version number.
                foreach (var group in usage.Where(u => u.Version.Scope.IsSubject).GroupBy(u => (u.Version.Version, u.Version.IsCurrent, Retired: u.Version.RetiredAt is not null)).OrderBy(g => g.Key.Version))
                {
                    table.AddRow(
                        $"subject keys ({group.Count()})",
                        group.Key.Version.ToString(CultureInfo.InvariantCulture),
                        group.Key.Retired ? "retired" : group.Key.IsCurrent ? "current" : "old",
                        "—",
                        group.Sum(u => u.Values).ToString(CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(table);
                return 0;
            }));
        return command;
    }
}
