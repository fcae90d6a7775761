using System.CommandLine;
using Guichet.Hosting;

namespace Guichet.Cli;

/// <summary><c>guichet serve</c>: runs the service hall over HTTPS.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var urls = new Option<string>("--urls")
        {
            Description = "Listening URLs separated by ';' (HTTP only redirects to HTTPS)",
            DefaultValueFactory = _ => HostSettings.DefaultUrls,
        };
        var demo = new Option<bool>("--demo") { Description = "Seed a demo branch with services and counters" };
        var certificate = new Option<string?>("--tls-cert") { Description = "TLS certificate, PFX or PEM (default: a self-signed localhost certificate in the data directory)" };
        var certificateKey = new Option<string?>("--tls-key") { Description = "PEM private key for --tls-cert, when the PEM file does not hold it" };

        var command = new Command("serve", "Run Guichet: pages, HTTP API and live events over HTTPS")
        {
            dataDirectory, urls, demo, certificate, certificateKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CommonOptions.Settings(parse, dataDirectory) with
            {
                Urls = parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Demo = parse.GetValue(demo),
                CertificatePath = parse.GetValue(certificate),
                CertificateKeyPath = parse.GetValue(certificateKey),
            };
            // Expected errors (keys, settings, TLS certificate, database) are reported by ExpectedErrors.
            await using var app = GuichetApp.Build(settings);
            await GuichetApp.PrepareAsync(app, cancellationToken);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException ex) when (ex.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
            {
                throw new HostConfigurationException($"{ex.Message.TrimEnd('.')}. Choose other addresses with --urls.", ex);
            }

            PrintWelcome(app, settings);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static void PrintWelcome(WebApplication app, HostSettings settings)
    {
        var https = app.Urls.FirstOrDefault(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ?? app.Urls.First();
        Console.WriteLine($"Guichet is running. Data directory: {settings.DataDirectory}");
        foreach (var (name, path) in GuichetApp.PublicPages)
        {
            Console.WriteLine($"  {name,-16} {https.TrimEnd('/')}{path}");
        }

        Console.WriteLine("Press Ctrl+C to stop.");
    }
}
