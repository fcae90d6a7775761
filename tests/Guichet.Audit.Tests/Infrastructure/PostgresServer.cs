using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Guichet.Audit.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL instance on 127.0.0.1 for the storage tests: its own cluster in a
/// temporary directory, its own port, stopped and deleted at the end. initdb refuses root, so
/// under root the cluster runs as the postgres system user.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "guichet-audit-pg-" + Guid.NewGuid().ToString("N"));
    private string binaries = "";
    private int port;

    public async Task InitializeAsync()
    {
        binaries = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Max(StringComparer.Ordinal)
            ?? throw new InvalidOperationException("PostgreSQL is not installed (scripts/install-test-dependencies.sh installs it).");
        Directory.CreateDirectory(root);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", root);
        }

        port = FreePort();
        var data = Path.Combine(root, "data");
        await RunAsPostgresAsync(Path.Combine(binaries, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await RunAsPostgresAsync(Path.Combine(binaries, "pg_ctl"), "-D", data, "-l", Path.Combine(root, "log"), "-w", "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=on", "start");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsPostgresAsync(Path.Combine(binaries, "pg_ctl"), "-D", Path.Combine(root, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(root, recursive: true);
    }

    /// <summary>A fresh, empty database for one test.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "audit_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    private string ConnectionString(string database) => $"Host=127.0.0.1;Port={port};Username=postgres;Database={database}";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, params string[] arguments) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
