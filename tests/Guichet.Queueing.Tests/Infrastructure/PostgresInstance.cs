using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Guichet.Queueing.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for tests: its own cluster in a temp directory, listening on a
/// free port on 127.0.0.1 only, trust authentication (nothing else can reach it), stopped and
/// deleted at the end. initdb refuses to run as root, so as root it runs as the postgres user.
/// Needs Debian's postgresql package (scripts/install-test-dependencies.sh installs it).
/// </summary>
public sealed class PostgresInstance : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly string directory = Path.Combine(Path.GetTempPath(), "guichet-pg-" + Guid.NewGuid().ToString("N"));
    private int port;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (IsRoot)
        {
            await RunAsync("chown", "postgres:postgres", directory);
        }

        port = FreePort();
        var data = Path.Combine(directory, "data");
        await RunAsPostgresAsync(Tool("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await RunAsPostgresAsync(
            Tool("pg_ctl"), "-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "start",
            "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=200");
    }

    /// <summary>A fresh, empty database on this server.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "guichet_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsPostgresAsync(Tool("pg_ctl"), "-D", Path.Combine(directory, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(directory, recursive: true);
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    private static bool IsRoot => Environment.UserName == "root";

    private static string Tool(string name) =>
        File.Exists(Path.Combine(BinDirectory, name)) ? Path.Combine(BinDirectory, name) : name;

    private static Task RunAsPostgresAsync(params string[] command) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", .. command]) : RunAsync(command[0], command[1..]);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServer : ICollectionFixture<PostgresInstance>
{
    public const string Name = "PostgreSQL";
}
