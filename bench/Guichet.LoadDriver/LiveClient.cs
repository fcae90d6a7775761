using System.Diagnostics;
using System.Text.Json;

namespace Guichet.LoadDriver;

/// <summary>
/// One live screen: reads a Server-Sent Events stream line by line and notes when each event
/// of interest arrived. Nothing is parsed beyond what the measurement needs.
/// </summary>
internal sealed class LiveClient(HttpClient client, string path, Func<JsonElement, string?> keyOf)
{
    /// <summary>Event key (a ticket number, or a status) → first arrival, as a Stopwatch timestamp.</summary>
    public Dictionary<string, long> Arrivals { get; } = new(StringComparer.Ordinal);

    public bool Connected { get; private set; }

    public async Task RunAsync(TaskCompletionSource connected, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            Connected = true;
            connected.TrySetResult();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var arrived = Stopwatch.GetTimestamp();
                using var data = JsonDocument.Parse(line.AsMemory(6));
                if (keyOf(data.RootElement) is { } key)
                {
                    Arrivals.TryAdd(key, arrived);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
        finally
        {
            connected.TrySetResult();
        }
    }
}
