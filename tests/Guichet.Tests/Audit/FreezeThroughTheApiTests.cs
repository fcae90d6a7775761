using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Audit;
using Guichet.Customers.Domain;
using Guichet.Customers.Storage;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Protection;
using Guichet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Audit;

/// <summary>
/// The whole response chain as a misbehaving insider meets it: requests to the customer API
/// over a real socket, the kernel's reveal, the ledger, the rules, and Identity's freeze.
/// </summary>
public sealed class FreezeThroughTheApiTests
{
    // A freeze must take effect "within seconds"; this bound only guards against a hang.
    private static readonly TimeSpan FreezeGuard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_agent_who_reveals_51_phones_through_the_api_is_frozen_and_refused()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (_, agent) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");
        using var created = await agent.PostAsJsonAsync(new Uri("/api/v1/customers", UriKind.Relative), new { branchId = "branch-a", name = "Test Person", phone = "138 0000 4321" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var reveal = new Uri($"/api/v1/customers/{id}/reveal", UriKind.Relative);

        for (var i = 1; i <= 50; i++)
        {
            using var revealed = await agent.PostAsJsonAsync(reveal, new { field = "phone", purpose = $"Call back, attempt {i}" });
            Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(agent));
        using (await agent.PostAsJsonAsync(reveal, new { field = "phone", purpose = "Call back, attempt 51" }))
        {
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOnceFrozenAsync(agent));
        using var again = await agent.PostAsJsonAsync(reveal, new { field = "phone", purpose = "Call back, attempt 52" });
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.DoesNotContain("4321", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finding_a_honeytoken_customer_through_the_api_freezes_the_searcher_at_once()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (_, agent) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");
        using (var output = new StringWriter())
        {
            Assert.Equal(0, await AuditCommands.PlantHoneytokensAsync(server.Services, 2, output, CancellationToken.None));
        }

        Customer bait;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            bait = await scope.ServiceProvider.GetRequiredService<CustomersDbContext>().Customers.AsNoTracking().FirstAsync();
        }

        // The bait's number as an insider would come by it; read here by the system, which the rules ignore.
        var phone = await server.Services.GetRequiredService<IRevealService>().RevealAsync(new RevealRequest(
            AuditActor.System, StaffRole.PrivacyOfficer, PersonalDataCategory.Phone, new FieldRef(Customer.Entity, Customer.PhoneField, bait.Id.ToString()), bait.Phone, "Test: find the bait"));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(agent));

        using (await agent.PostAsJsonAsync(new Uri("/api/v1/customers/search", UriKind.Relative), new { phone = phone.Value }))
        {
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOnceFrozenAsync(agent));
    }

    /// <summary>Asks who the client is until it is refused (or the guard runs out), and returns the last answer.</summary>
    private static async Task<HttpStatusCode> StatusOnceFrozenAsync(HttpClient client)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var status = await WhoAmIAsync(client);
        while (status != HttpStatusCode.Unauthorized && waited.Elapsed < FreezeGuard)
        {
            await Task.Delay(200);
            status = await WhoAmIAsync(client);
        }

        return status;
    }

    private static async Task<HttpStatusCode> WhoAmIAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/v1/whoami", UriKind.Relative));
        return response.StatusCode;
    }
}
