using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Guichet.LoadDriver;

/// <summary>
/// The staff side of the queue API the scenarios need (docs/queue.md): configuring a branch
/// and operating its counters, authorised by API keys enrolled through the CLI as an
/// integration would be.
/// </summary>
internal static class StaffApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><c>guichet apikey create</c> over the server's data directory; the key is the last line printed.</summary>
    public static async Task<string> CreateApiKeyAsync(ServerProcess server, string role, Guid branchId, CancellationToken cancellationToken)
    {
        var output = await server.RunVerbAsync(cancellationToken, "apikey", "create", "--name", $"load-{role}-{Guid.NewGuid():N}", "--role", role, "--branch", branchId.ToString());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string apiKey, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return request;
    }

    /// <summary>
    /// A service open all day with a cap no benchmark reaches, so load measures the server and not
    /// the cap, and with no waiting warning (level 0): with one set, every counter answer counts the
    /// service's queue up to the level, which on the benchmarks' deep queues is the whole queue.
    /// </summary>
    public static async Task<Guid> CreateBenchServiceAsync(HttpClient client, string managerKey, Guid branchId, string prefix, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/services", managerKey, new
        {
            name = $"Bench {prefix}",
            businessType = "Bench",
            prefix,
            dailyCap = 1_000_000,
            waitingWarningLevel = 0,
            collectsPhone = true,
            phonePurpose = "tell you when your turn is near",
        });
        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "create a service", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<Created>(Json, cancellationToken))!.Id;
    }

    public static async Task<Guid> CreateCounterAsync(HttpClient client, string managerKey, Guid branchId, int window, Guid serviceId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, $"/api/v1/configuration/branches/{branchId}/counters", managerKey, new
        {
            name = $"Bench window {window}",
            windowNumber = window,
            serviceIds = new[] { serviceId },
        });
        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "create a counter", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<Created>(Json, cancellationToken))!.Id;
    }

    /// <summary>Call next at a counter: the ticket now held, or null when nobody is waiting (409).</summary>
    public static async Task<CalledTicket?> CallNextAsync(HttpClient client, string counterKey, Guid counterId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, $"/api/v1/counters/{counterId}/call-next", counterKey);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }

        await EnsureAsync(response, "call next", cancellationToken);
        var state = await response.Content.ReadFromJsonAsync<CounterState>(Json, cancellationToken);
        return state?.CurrentTicket ?? throw new InvalidOperationException("call next answered without a current ticket");
    }

    /// <summary>Ends the held ticket as a no-show, freeing the counter for its next call.</summary>
    public static async Task ReleaseAsync(HttpClient client, string counterKey, Guid counterId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, $"/api/v1/counters/{counterId}/no-show", counterKey);
        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "mark a no-show", cancellationToken);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"could not {what}: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }
    }

    internal sealed record Created(Guid Id);

    internal sealed record CounterState(Guid Id, CalledTicket? CurrentTicket);

    internal sealed record CalledTicket(Guid TicketId, string Number);
}
