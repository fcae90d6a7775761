using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Guichet.LoadDriver;

/// <summary>
/// Key rotation over many customers while the server runs: N customers are seeded in bulk
/// (each under their own subject key), then <c>guichet keys rotate</c> adds a version to every
/// key and <c>guichet keys rewrap</c> re-encrypts every stored value under it, both as
/// subprocesses of the Release build, the way an operator runs them. Afterwards the database
/// itself is read: every protected value must name its key's current version.
/// </summary>
internal sealed class RewrapScenario(long customers) : IScenario, IPreparesData
{
    private double seedRate;

    public string Name => "rewrap";

    public string Description => $"rotate every key, then re-encrypt {customers:N0} customers' values online (guichet keys rewrap)";

    public bool LoadsDriverServer => false;

    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public async Task PrepareAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
        seedRate = await CustomerSeed.SeedAsync(dataDirectory, customers, environment, cancellationToken);

    public async Task<ScenarioReport> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await context.Server.RunVerbAsync(cancellationToken, "keys", "rotate");
        var rotate = clock.Elapsed;

        clock.Restart();
        await context.Server.RunVerbAsync(cancellationToken, "keys", "rewrap");
        var rewrap = clock.Elapsed;

        var check = await StoredVersions.CheckAsync(context.Server.DataDirectory, cancellationToken);
        var failures = new List<string>();
        if (check.Rows != customers)
        {
            failures.Add($"{check.Rows} customer rows found after the rewrap, {customers} seeded");
        }

        if (check.StaleRows > 0)
        {
            failures.Add($"{check.StaleRows} customer rows still hold a value under an old key version ({check.StaleValues} values)");
        }

        if (check.UnknownKeys > 0)
        {
            failures.Add($"{check.UnknownKeys} values name a key that is not in the key ring");
        }

        return new ScenarioReport(Name,
        [
            new Measure("customers", check.Rows, "rows"),
            new Measure("values", check.Values, "values"),
            new Measure("rewrap throughput", Math.Round(check.Rows / rewrap.TotalSeconds), "rows/s"),
            new Measure("rewrap values throughput", Math.Round(check.Values / rewrap.TotalSeconds), "values/s"),
            new Measure("rewrap time", Math.Round(rewrap.TotalSeconds, 1), "s"),
            new Measure("rotate time", Math.Round(rotate.TotalSeconds, 1), "s"),
            new Measure("rows on an old key version", check.StaleRows, "rows"),
            new Measure("rewrapped rows", check.Rows - check.StaleRows, "rows"),
            new Measure("seed rate", Math.Round(seedRate), "customers/s"),
        ], failures);
    }

    /// <summary>Reads the key version named in every stored customer value and compares it with the key ring.</summary>
    private static class StoredVersions
    {
        public static async Task<Result> CheckAsync(string dataDirectory, CancellationToken cancellationToken)
        {
            var current = new Dictionary<uint, uint>();
            await using (var keys = Open(Path.Combine(dataDirectory, "keys", "keyring.db")))
            {
                await keys.OpenAsync(cancellationToken);
                await using var command = keys.CreateCommand();
                command.CommandText = """SELECT "Id", "CurrentVersion" FROM privacy_data_keys WHERE "DestroyedAt" IS NULL""";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    current[(uint)reader.GetInt64(0)] = (uint)reader.GetInt64(1);
                }
            }

            long rows = 0, values = 0, staleRows = 0, staleValues = 0, unknown = 0;
            await using var data = Open(Path.Combine(dataDirectory, "guichet.db"));
            await data.OpenAsync(cancellationToken);
            await using (var command = data.CreateCommand())
            {
                command.CommandText = """SELECT "Name", "Phone", "IdNumber", "Note" FROM customers""";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows++;
                    var stale = false;
                    for (var column = 0; column < 4; column++)
                    {
                        if (reader.IsDBNull(column))
                        {
                            continue;
                        }

                        var value = (byte[])reader.GetValue(column);
                        values++;
                        // Field format version 1: 0x01, key id and key version as big-endian uint32.
                        if (value.Length < 9 || value[0] != 0x01 || !current.TryGetValue(BinaryPrimitives.ReadUInt32BigEndian(value.AsSpan(1)), out var version))
                        {
                            unknown++;
                        }
                        else if (BinaryPrimitives.ReadUInt32BigEndian(value.AsSpan(5)) != version)
                        {
                            staleValues++;
                            stale = true;
                        }
                    }

                    if (stale)
                    {
                        staleRows++;
                    }
                }
            }

            return new Result(rows, values, staleRows, staleValues, unknown);
        }

        private static SqliteConnection Open(string file) =>
            new(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
    }

    private sealed record Result(long Rows, long Values, long StaleRows, long StaleValues, long UnknownKeys);
}
