using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Guichet.Tests.Infrastructure;

/// <summary>
/// The real executable (<c>dotnet guichet.dll serve</c>) as a child process on a free loopback
/// port, for tests that must kill the server the way a power cut would.
/// </summary>
public sealed class GuichetProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupGuard = TimeSpan.FromMinutes(2);
    private readonly Process process;

    private GuichetProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<GuichetProcess> StartAsync(string dataDirectory, bool demo, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var address = new Uri($"https://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { ExecutablePath(), "serve", "--data-dir", dataDirectory, "--urls", address.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(argument);
        }

        if (demo)
        {
            start.ArgumentList.Add("--demo");
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.Environment["GUICHET_Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start guichet.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("Guichet is running", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(StartupGuard));
        if (first != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                throw new InvalidOperationException($"guichet did not start:\n{output}");
            }
        }

        return new GuichetProcess(process, address);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what was acknowledged must already be durable.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public HttpClient CreateClient() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.Subject == "CN=localhost",
    })
    { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The guichet.dll built beside the tests (the project reference copies it here).</summary>
    private static string ExecutablePath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "guichet.dll");
        return File.Exists(path) && File.Exists(Path.Combine(AppContext.BaseDirectory, "guichet.runtimeconfig.json"))
            ? path
            : throw new FileNotFoundException("guichet.dll with its runtimeconfig was not found beside the tests.", path);
    }
}
