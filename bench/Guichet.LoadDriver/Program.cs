using System.CommandLine;
using Guichet.LoadDriver;
using Spectre.Console;

var scenarios = new Argument<string[]>("scenario") { Description = "Scenarios to run (or 'all')", Arity = ArgumentArity.OneOrMore };
var duration = new Option<int>("--seconds") { Description = "Seconds of load per scenario", DefaultValueFactory = _ => 20 };
var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients", DefaultValueFactory = _ => 64 };
var serverDll = new Option<string?>("--server") { Description = "The guichet.dll to run (default: the Release build of this checkout)" };
var passThroughDll = new Option<string?>("--passthrough-server") { Description = "The pass-through build for privacy-cost (default: bench/Guichet.PassThroughHost's Release build)" };
var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
var customers = new Option<long>("--customers") { Description = "Customers seeded before the lookup and rewrap scenarios", DefaultValueFactory = _ => 1_000_000 };
var settings = new Option<string[]>("--set") { Description = "Server configuration KEY=VALUE (sets GUICHET_KEY)", AllowMultipleArgumentsPerToken = true };

var root = new RootCommand("Guichet load driver: runs named scenarios against a fresh Release build on 127.0.0.1")
{
    scenarios, duration, concurrency, serverDll, passThroughDll, json, customers, settings,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var options = new DriverOptions(
        parse.GetValue(scenarios)!,
        TimeSpan.FromSeconds(parse.GetValue(duration)),
        parse.GetValue(concurrency),
        parse.GetValue(serverDll) ?? BuildOutputs.Find("src/Guichet", "guichet.dll"),
        parse.GetValue(passThroughDll),
        parse.GetValue(json),
        Smoke: false,
        (parse.GetValue(settings) ?? []).Select(s => s.Split('=', 2)).ToDictionary(p => "GUICHET_" + p[0].Replace(":", "__", StringComparison.Ordinal), p => p.Length > 1 ? p[1] : ""))
    {
        Customers = parse.GetValue(customers),
    };
    var reports = await LoadDriver.RunAsync(options, cancellationToken);
    LoadDriver.Print(reports, AnsiConsole.Console);
    if (options.JsonPath is { } path)
    {
        await LoadDriver.WriteJsonAsync(reports, path, cancellationToken);
    }

    return reports.Any(r => r.Failures.Count > 0) ? 1 : 0;
});
return await root.Parse(args).InvokeAsync();
