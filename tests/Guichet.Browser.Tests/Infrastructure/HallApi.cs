using System.Net.Http.Json;
using System.Text.Json;

namespace Guichet.Browser.Tests.Infrastructure;

/// <summary>The public queue API as a kiosk device uses it, to set up a queue quickly.</summary>
public static class HallApi
{
    public static async Task<(string BranchId, IReadOnlyDictionary<string, string> ServiceIds)> DemoBranchAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var branches = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/branches", UriKind.Relative));
        var branchId = branches[0].GetProperty("id").GetString()!;
        var services = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/branches/{branchId}/services", UriKind.Relative));
        return (branchId, services.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("id").GetString()!));
    }

    /// <summary>Takes a kiosk ticket; returns its number.</summary>
    public static async Task<string> TakeTicketAsync(HttpClient client, string branchId, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostAsJsonAsync(
            new Uri($"/api/v1/branches/{branchId}/tickets", UriKind.Relative),
            new { serviceId, channel = "kiosk" });
        response.EnsureSuccessStatusCode();
        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ticket.GetProperty("number").GetString()!;
    }
}
