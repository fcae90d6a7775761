using Guichet.Cli;
using Guichet.Hosting;
using Guichet.PassThroughHost;
using Guichet.Privacy.Protection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// `serve` runs the real host with the pass-through kernel; every other verb is the real CLI,
// so the load driver enrols what it needs exactly as it does against the shipped build.
if (args.Length == 0 || args[0] != "serve")
{
    return await GuichetCommandLine.Create().Parse(args).InvokeAsync();
}

var settings = new HostSettings(
    DataDirectory.Resolve(Value("--data-dir") ?? "data"),
    (Value("--urls") ?? HostSettings.DefaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    Demo: args.Contains("--demo"));
await using var app = GuichetApp.Build(settings, builder =>
{
    builder.Services.Replace(ServiceDescriptor.Singleton<IPersonalDataProtector, PassThroughProtector>());
    builder.Services.Replace(ServiceDescriptor.Singleton<IDataSubjects, PassThroughSubjects>());
});
await GuichetApp.PrepareAsync(app, CancellationToken.None);
await Console.Out.WriteLineAsync("Guichet (pass-through kernel, bench only) is running.");
await app.RunAsync();
return 0;

string? Value(string option)
{
    var at = Array.IndexOf(args, option);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
