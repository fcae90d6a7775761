using Microsoft.Extensions.Configuration.Memory;

namespace Guichet.Hosting;

/// <summary>
/// The configuration sources and logging defaults that <c>serve</c> and every CLI verb share, in
/// one place, so an operator configures Guichet once (see docs/architecture.md, Storage).
/// </summary>
internal static class GuichetConfiguration
{
    /// <summary>
    /// Defaults below every other source. EF Core logs each SQL command at Information, and ASP.NET
    /// Core five lines per HTTP request (start, endpoint, result, end); those lines are noise for
    /// operators, show the shape of every query and every path, and writing them took about 6 %
    /// of a busy hall's server CPU, so both start at Warning. What matters to an operator or an
    /// auditor is logged by Guichet itself, and recorded in the ledger.
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>
    /// Adds, lowest precedence first: the defaults above, <c>appsettings.json</c> beside the
    /// executable, <c>&lt;data-dir&gt;/guichet.json</c>, <c>GUICHET_</c> environment variables; then
    /// the data directory itself and the default SQLite connection string when none is given.
    /// Creates the data directory (owner-only) and makes every file the process creates private.
    /// </summary>
    public static void AddSources(ConfigurationManager configuration, HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        DataDirectory.RestrictNewFiles();
        DataDirectory.CreatePrivateDirectory(settings.DataDirectory);
        ((IConfigurationBuilder)configuration).Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddJsonFile(Path.Combine(settings.DataDirectory, "guichet.json"), optional: true);
        configuration.AddEnvironmentVariables("GUICHET_");
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Guichet:DataDirectory"] = settings.DataDirectory,
            ["Guichet:Demo"] = settings.Demo ? "true" : "false",
        });
        if (string.IsNullOrEmpty(configuration.GetConnectionString("Guichet")))
        {
            configuration["ConnectionStrings:Guichet"] = $"Data Source={settings.DatabasePath}";
        }
    }

    /// <summary>CLI verbs: warnings and errors only, on standard error, so standard output stays for results.</summary>
    public static void AddCliLogging(ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddConfiguration(configuration.GetSection("Logging"));
        logging.AddSimpleConsole(console => console.SingleLine = true);
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
