using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Guichet.LoadDriver;

/// <summary>
/// A PostgreSQL cluster of the driver's own for the <c>-pg</c> scenarios: created in a temp
/// directory from Debian's postgresql package (the test command installs it), listening on
/// 127.0.0.1 only with trust authentication, durable commits as in production
/// (<c>fsync</c> and <c>synchronous_commit</c> on), removed at the end. As root, the
/// server runs as the postgres user, since initdb refuses root.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly string directory;
    private readonly int port;

    private PrivatePostgres(string directory, int port)
    {
        this.directory = directory;
        this.port = port;
    }

    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "initdb"));

    public static async Task<PrivatePostgres> StartAsync(CancellationToken cancellationToken)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"PostgreSQL is not installed ({BinDirectory}/initdb is missing); run scripts/install-test-dependencies.sh first.");
        }

        var directory = Path.Combine(Path.GetTempPath(), "guichet-load-pg-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the PostgreSQL scenarios run on Debian");
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["postgres:postgres", directory], cancellationToken);
        }

        var cluster = new PrivatePostgres(directory, FreePort());
        var data = Path.Combine(directory, "data");
        await RunAsServerUserAsync([Path.Combine(BinDirectory, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"], cancellationToken);
        await RunAsServerUserAsync(
            [Path.Combine(BinDirectory, "pg_ctl"), "-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "start",
             "-o", $"-p {cluster.port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB"],
            cancellationToken);
        return cluster;
    }

    /// <summary>A new empty database, as a connection string for the server.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "guichet_load_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};Maximum Pool Size=100";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsServerUserAsync([Path.Combine(BinDirectory, "pg_ctl"), "-D", Path.Combine(directory, "data"), "-m", "immediate", "-w", "stop"], CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Task RunAsServerUserAsync(string[] command, CancellationToken cancellationToken) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", .. command], cancellationToken)
            : RunAsync(command[0], command[1..], cancellationToken);

    private static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed with exit code {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
