using System.CommandLine;
using Guichet.Hosting;

namespace Guichet.Cli;

/// <summary>Options every verb shares with <c>serve</c>.</summary>
internal static class CommonOptions
{
    public static Option<string> DataDirectory() => new("--data-dir")
    {
        Description = "Data directory: database, keys, TLS certificate (default ./data)",
        DefaultValueFactory = _ => "data",
    };

    public static HostSettings Settings(ParseResult parse, Option<string> dataDirectory) =>
        new(Hosting.DataDirectory.Resolve(parse.GetValue(dataDirectory)), []);
}
