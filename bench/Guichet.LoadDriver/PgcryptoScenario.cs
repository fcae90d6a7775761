using System.Globalization;
using Guichet.Privacy;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Guichet.LoadDriver;

/// <summary>
/// Field protection side by side on PostgreSQL: rows holding a phone number written with the
/// privacy kernel (normalize, AES-256-GCM bound to the row, full and last-four blind indexes,
/// in the application) against the same row protected in SQL by pgcrypto
/// (<c>pgp_sym_encrypt</c> and two <c>hmac</c> indexes, in the database). Both write one row
/// per round trip with the same number of concurrent connections, in alternating rounds.
/// pgcrypto receives the number already in E.164, since SQL has no phone normalization.
/// </summary>
internal sealed class PgcryptoScenario(PostgresCluster cluster) : IScenario
{
    private const int Rounds = 2;

    public string Name => "pgcrypto";

    public string Description => "phone rows protected by the kernel against pgcrypto in SQL, on PostgreSQL";

    public bool LoadsDriverServer => false;

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var postgres = await cluster.GetAsync(cancellationToken);
        var connectionString = await postgres.CreateDatabaseAsync(cancellationToken);
        await ExecuteAsync(connectionString, """
            CREATE EXTENSION pgcrypto;
            CREATE TABLE kernel_phone (id bigserial PRIMARY KEY, phone bytea NOT NULL, phone_index bytea NOT NULL, phone_last4 bytea NOT NULL);
            CREATE TABLE pgcrypto_phone (id bigserial PRIMARY KEY, phone bytea NOT NULL, phone_index bytea NOT NULL, phone_last4 bytea NOT NULL);
            CREATE INDEX ON kernel_phone (phone_index);
            CREATE INDEX ON kernel_phone (phone_last4);
            CREATE INDEX ON pgcrypto_phone (phone_index);
            CREATE INDEX ON pgcrypto_phone (phone_last4);
            """, cancellationToken);

        var keyDirectory = Path.Combine(Path.GetTempPath(), "guichet-load-kernel-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Guichet:DataDirectory"] = keyDirectory })
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddPrivacy(configuration).BuildServiceProvider();
        await PrivacyModule.PrepareStorageAsync(services, cancellationToken);
        var protector = services.GetRequiredService<IPersonalDataProtector>();
        var scope = KeyScope.Purpose("load-pgcrypto");
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var workers = Math.Min(context.Concurrency, 32);
        var connections = new NpgsqlConnection[workers];
        var counters = new long[workers];
        for (var i = 0; i < workers; i++)
        {
            connections[i] = new NpgsqlConnection(connectionString);
            await connections[i].OpenAsync(cancellationToken);
        }

        try
        {
            async Task<bool> Kernel(int worker, CancellationToken token)
            {
                var row = counters[worker]++;
                var protectedPhone = await protector.ProtectPhoneAsync(Phone(worker, row), new FieldRef("kernel_phone", "phone", $"{worker}-{row}"), scope, token);
                await using var command = new NpgsqlCommand("INSERT INTO kernel_phone (phone, phone_index, phone_last4) VALUES ($1, $2, $3)", connections[worker]);
                command.Parameters.Add(new NpgsqlParameter { Value = protectedPhone.Ciphertext, NpgsqlDbType = NpgsqlDbType.Bytea });
                command.Parameters.Add(new NpgsqlParameter { Value = protectedPhone.FullIndex, NpgsqlDbType = NpgsqlDbType.Bytea });
                command.Parameters.Add(new NpgsqlParameter { Value = protectedPhone.LastFourIndex, NpgsqlDbType = NpgsqlDbType.Bytea });
                return await command.ExecuteNonQueryAsync(token) == 1;
            }

            async Task<bool> Pgcrypto(int worker, CancellationToken token)
            {
                var phone = Phone(worker, counters[worker]++);
                await using var command = new NpgsqlCommand(
                    "INSERT INTO pgcrypto_phone (phone, phone_index, phone_last4) VALUES (pgp_sym_encrypt($1, $2, 'cipher-algo=aes256'), hmac($1, $2, 'sha256'), hmac(right($1, 4), $2, 'sha256'))",
                    connections[worker]);
                command.Parameters.Add(new NpgsqlParameter { Value = phone, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = secret, NpgsqlDbType = NpgsqlDbType.Text });
                return await command.ExecuteNonQueryAsync(token) == 1;
            }

            var warmUp = TimeSpan.FromSeconds(context.Smoke ? 0.5 : 2);
            await LoadLoop.RunAsync(workers, warmUp, Kernel, cancellationToken);
            await LoadLoop.RunAsync(workers, warmUp, Pgcrypto, cancellationToken);
            var round = context.Duration / (Rounds * 2);
            var kernelRounds = new List<LoadResult>();
            var pgcryptoRounds = new List<LoadResult>();
            for (var i = 0; i < Rounds; i++)
            {
                kernelRounds.Add(await LoadLoop.RunAsync(workers, round, Kernel, cancellationToken));
                pgcryptoRounds.Add(await LoadLoop.RunAsync(workers, round, Pgcrypto, cancellationToken));
            }

            var kernel = kernelRounds.Average(r => r.PerSecond);
            var pgcrypto = pgcryptoRounds.Average(r => r.PerSecond);
            var failures = kernelRounds.Concat(pgcryptoRounds).Where(r => r.Errors > 0).Select(r => $"{r.Errors} rows failed to insert").ToList();
            var stored = await CountAsync(connectionString, "kernel_phone", cancellationToken) + await CountAsync(connectionString, "pgcrypto_phone", cancellationToken);
            var acknowledged = kernelRounds.Concat(pgcryptoRounds).Sum(r => r.Succeeded);
            if (stored < acknowledged)
            {
                failures.Add($"{acknowledged - stored} acknowledged rows are missing");
            }

            return new ScenarioReport(Name,
            [
                new Measure("kernel rows", Math.Round(kernel, 1), "rows/s"),
                new Measure("kernel p99", Math.Round(kernelRounds.Max(r => r.Latency.P99), 2), "ms"),
                new Measure("pgcrypto rows", Math.Round(pgcrypto, 1), "rows/s"),
                new Measure("pgcrypto p99", Math.Round(pgcryptoRounds.Max(r => r.Latency.P99), 2), "ms"),
                new Measure("kernel / pgcrypto", Math.Round(kernel / pgcrypto, 3), "ratio"),
                new Measure("ok", acknowledged, "rows"),
            ],
            failures);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            Directory.Delete(keyDirectory, recursive: true);
        }
    }

    /// <summary>Obviously fake mobile numbers in the reserved-looking 138 0000 range, distinct per worker and row.</summary>
    private static string Phone(int worker, long row) =>
        "+86138" + ((worker * 1_000_000L + row) % 100_000_000).ToString("00000000", CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(string connectionString, string table, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
