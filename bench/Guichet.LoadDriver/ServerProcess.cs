using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Guichet.LoadDriver;

/// <summary>
/// A Release build of Guichet started as its own process over a fresh data directory, the
/// way an operator runs it; the driver loads it from outside, over HTTPS on loopback.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServerProcess(Process process, string serverDll, string dataDirectory, Uri address, IReadOnlyDictionary<string, string> environment)
    {
        this.process = process;
        ServerDll = serverDll;
        DataDirectory = dataDirectory;
        Address = address;
        Environment = environment;
    }

    public string ServerDll { get; }

    public string DataDirectory { get; }

    public Uri Address { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public int ProcessId => process.Id;

    private long peakWorkingSet;

    /// <summary>Peak working set of the server so far (until it was killed), in bytes.</summary>
    public long PeakWorkingSet
    {
        get
        {
            RecordPeakWorkingSet();
            return peakWorkingSet;
        }
    }

    private void RecordPeakWorkingSet()
    {
        if (!process.HasExited)
        {
            process.Refresh();
            peakWorkingSet = process.PeakWorkingSet64;
        }
    }

    /// <summary>CPU time the server has used so far, all threads: per request, the cost of a request on this machine whatever else competed for it.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public long WorkingSet
    {
        get
        {
            process.Refresh();
            return process.WorkingSet64;
        }
    }

    /// <summary>
    /// Starts <c>serve --demo</c> over a fresh data directory and waits until it answers /health.
    /// A database named by a connection string (PostgreSQL) is migrated first with
    /// <c>db migrate</c>, as an operator would; the embedded default creates its own.
    /// </summary>
    /// <param name="serverDll">The guichet.dll to run.</param>
    /// <param name="environment">GUICHET_ settings for the server.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <param name="prepare">Writes data into the fresh data directory before the server starts (bulk seeding).</param>
    public static async Task<ServerProcess> StartAsync(
        string serverDll, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, Func<string, CancellationToken, Task>? prepare = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "guichet-load", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        if (environment.ContainsKey(ConnectionStringVariable))
        {
            await RunToEndAsync(Command(serverDll, environment, "db", "migrate", "--data-dir", dataDirectory), cancellationToken);
        }

        if (prepare is not null)
        {
            await prepare(dataDirectory, cancellationToken);
        }

        var port = FreePort();
        var address = new Uri($"https://127.0.0.1:{port}");
        var start = Command(serverDll, environment, "serve", "--demo", "--data-dir", dataDirectory, "--urls", address.ToString().TrimEnd('/'));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var tail = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 20)
                {
                    tail.Dequeue();
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, serverDll, dataDirectory, address, environment);
        try
        {
            await server.WaitUntilHealthyAsync(cancellationToken);
        }
        catch (Exception failure) when (failure is InvalidOperationException or TimeoutException)
        {
            await server.DisposeAsync();
            lock (tail)
            {
                throw new InvalidOperationException($"{failure.Message}; its last output:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, tail)}", failure);
            }
        }

        return server;
    }

    /// <summary>Runs another verb of the same executable over the same data directory and returns its standard output.</summary>
    public Task<string> RunVerbAsync(CancellationToken cancellationToken, params string[] arguments) =>
        RunToEndAsync(Command(ServerDll, Environment, [.. arguments, "--data-dir", DataDirectory]), cancellationToken);

    /// <summary>The server's database connection string, as the driver passes it to the server.</summary>
    public const string ConnectionStringVariable = "GUICHET_ConnectionStrings__Guichet";

    /// <summary>Which database the connection string names (Sqlite or Postgres).</summary>
    public const string ProviderVariable = "GUICHET_Database__Provider";

    private static async Task<string> RunToEndAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        var arguments = start.ArgumentList.Skip(1).ToArray();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var verb = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        var output = await verb.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await verb.StandardError.ReadToEndAsync(cancellationToken);
        await verb.WaitForExitAsync(cancellationToken);
        if (verb.ExitCode != 0)
        {
            throw new InvalidOperationException($"guichet {arguments[0]} exited with {verb.ExitCode}: {error}");
        }

        return output;
    }

    /// <summary>Kills the server at once, without a shutdown, as a power cut would; the data directory stays.</summary>
    public async Task CrashAsync()
    {
        RecordPeakWorkingSet();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; the next run uses a fresh one.
        }
    }

    private static ProcessStartInfo Command(string serverDll, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(serverDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = LoadClient.Create(Address, connections: 1);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {process.ExitCode} before it was healthy");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException("the server did not become healthy within 90 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
