using System.Net.Http.Json;
using System.Text.Json;

namespace Guichet.LoadDriver;

/// <summary>The few calls of the public queue API the scenarios need (see docs/queue.md).</summary>
internal static class HallApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<Guid> FirstBranchAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var branches = await client.GetFromJsonAsync<BranchView[]>("/api/v1/branches", Json, cancellationToken) ?? [];
        return branches.Length > 0 ? branches[0].Id : throw new InvalidOperationException("the server has no branch (was it started with --demo?)");
    }

    public static async Task<ServiceView[]> ServicesAsync(HttpClient client, Guid branchId, CancellationToken cancellationToken) =>
        await client.GetFromJsonAsync<ServiceView[]>($"/api/v1/branches/{branchId}/services", Json, cancellationToken) ?? [];

    public static async Task<IssuedTicket?> IssueAsync(HttpClient client, Guid branchId, Guid serviceId, string? phone, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/branches/{branchId}/tickets", new { serviceId, channel = "kiosk", phone }, Json, cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<IssuedTicket>(Json, cancellationToken) : null;
    }

    internal sealed record BranchView(Guid Id, string Name);

    internal sealed record ServiceView(Guid Id, string Name, string Prefix, bool IsOpenNow, bool CollectsPhone);

    internal sealed record IssuedTicket(Guid TicketId, string Number, string TrackerToken);
}
