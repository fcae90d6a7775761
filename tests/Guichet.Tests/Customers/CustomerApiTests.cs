using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Audit;
using Guichet.Audit.Response;
using Guichet.Audit.Search;
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

namespace Guichet.Tests.Customers;

public sealed class CustomerApiTests
{
    private static readonly Uri Customers = new("/api/v1/customers", UriKind.Relative);
    private static readonly Uri Search = new("/api/v1/customers/search", UriKind.Relative);

    [Fact]
    public async Task An_agent_registers_finds_by_phone_or_last_four_sees_masks_and_reveals_with_a_purpose()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (_, agent) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");

        using var created = await agent.PostAsJsonAsync(Customers, new { branchId = "branch-a", name = "Test Person", phone = "138 0000 5678", note = "prefers mornings" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        foreach (var criteria in new object[] { new { phone = "+86 13800005678" }, new { lastFour = "5678" } })
        {
            using var found = await agent.PostAsJsonAsync(Search, criteria);
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
            var body = await found.Content.ReadAsStringAsync();
            var customer = Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray());
            Assert.Equal(id, customer.GetProperty("id").GetGuid());
            Assert.Equal("138****5678", customer.GetProperty("phone").GetProperty("text").GetString());
            Assert.Equal("Masked", customer.GetProperty("phone").GetProperty("view").GetString());
            Assert.Equal("T. P*****", customer.GetProperty("name").GetProperty("text").GetString());
            Assert.DoesNotContain("13800005678", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Test Person", body, StringComparison.Ordinal);
        }

        using var noPurpose = await agent.PostAsJsonAsync(new Uri($"/api/v1/customers/{id}/reveal", UriKind.Relative), new { field = "phone", purpose = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noPurpose.StatusCode);
        Assert.Equal("application/problem+json", noPurpose.Content.Headers.ContentType?.MediaType);

        using var revealed = await agent.PostAsJsonAsync(new Uri($"/api/v1/customers/{id}/reveal", UriKind.Relative), new { field = "phone", purpose = "Call back about the loan appointment" });
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Equal("+8613800005678", (await revealed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetString());
        Assert.Equal("no-store", revealed.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Other_branches_see_nothing_and_roles_without_customer_access_are_refused()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (_, agentA) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");
        var (_, agentB) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-b");
        var (_, counter) = await server.CreateSignedInAsync(StaffRole.CounterStaff, "branch-a");
        using var created = await agentA.PostAsJsonAsync(Customers, new { branchId = "branch-a", name = "Test Person", phone = "138 0000 1111" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var search = await agentB.PostAsJsonAsync(Search, new { phone = "138 0000 1111" });
        Assert.Equal("[]", await search.Content.ReadAsStringAsync());
        using var get = await agentB.GetAsync(new Uri($"/api/v1/customers/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var elsewhere = await agentB.PostAsJsonAsync(Customers, new { branchId = "branch-a", name = "Test Person", phone = "138 0000 2222" });
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        using var refused = await counter.PostAsJsonAsync(Search, new { phone = "138 0000 1111" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var erase = await agentA.DeleteAsync(new Uri($"/api/v1/customers/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, erase.StatusCode);
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_and_creates_nothing()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (_, agent) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");

        using var badPhone = await agent.PostAsJsonAsync(Customers, new { branchId = "branch-a", name = "Test Person", phone = "12" });
        using var badId = await agent.PostAsJsonAsync(Customers, new { branchId = "branch-a", name = "Test Person", phone = "138 0000 3333", idNumber = "110101199003071234" });
        using var noName = await agent.PostAsJsonAsync(Customers, new { branchId = "branch-a", name = "", phone = "138 0000 3333" });
        using var twoCriteria = await agent.PostAsJsonAsync(Search, new { phone = "138 0000 3333", lastFour = "3333" });

        foreach (var response in new[] { badPhone, badId, noName, twoCriteria })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await using var scope = server.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<CustomersDbContext>().Customers.CountAsync());
    }

    [Fact]
    public async Task A_privacy_officer_erases_a_customer_and_the_erasure_is_in_the_ledger()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (_, agent) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");
        var (officer, officerClient) = await server.CreateSignedInAsync(StaffRole.PrivacyOfficer);
        using var created = await agent.PostAsJsonAsync(Customers, new { branchId = "branch-a", name = "Test Person", phone = "138 0000 4444" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var erased = await officerClient.DeleteAsync(new Uri($"/api/v1/customers/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        using var gone = await agent.GetAsync(new Uri($"/api/v1/customers/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var search = await agent.PostAsJsonAsync(Search, new { lastFour = "4444" });
        Assert.Equal("[]", await search.Content.ReadAsStringAsync());
        var history = await server.Services.GetRequiredService<IAuditSearch>().CustomerAccessHistoryAsync(id.ToString(), AuditActor.System, 100, CancellationToken.None);
        Assert.Contains(history, e => e.Action == "customer.erase" && e.ActorId == officer.UserId);
    }

    [Fact]
    public async Task Planted_honeytokens_are_real_customers_and_finding_one_raises_a_critical_alert_against_the_searcher()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (agent, agentClient) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");
        using (var output = new StringWriter())
        {
            Assert.Equal(0, await AuditCommands.PlantHoneytokensAsync(server.Services, 3, output, CancellationToken.None));
        }

        // The bait's phone, read by the system (which the rules ignore), as an insider would find it by guessing.
        Customer bait;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var customers = await scope.ServiceProvider.GetRequiredService<CustomersDbContext>().Customers.AsNoTracking().ToListAsync();
            Assert.Equal(3, customers.Count);
            bait = customers[0];
        }

        var phone = await server.Services.GetRequiredService<IRevealService>().RevealAsync(new RevealRequest(
            AuditActor.System, StaffRole.PrivacyOfficer, PersonalDataCategory.Phone, new FieldRef(Customer.Entity, Customer.PhoneField, bait.Id.ToString()), bait.Phone, "Test: find the bait"));
        Assert.Equal(RevealStatus.Revealed, phone.Status);

        using var found = await agentClient.PostAsJsonAsync(Search, new { phone = phone.Value });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains(bait.Id.ToString(), await found.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var desk = server.Services.GetRequiredService<IAlertDesk>();
        IReadOnlyList<AlertView> alerts = [];
        for (var attempt = 0; attempt < 50 && alerts.Count == 0; attempt++)
        {
            alerts = [.. (await desk.ListAsync(null, 50, CancellationToken.None)).Where(a => a.Rule == "honeytoken")];
            if (alerts.Count == 0)
            {
                await Task.Delay(100);
            }
        }

        var alert = Assert.Single(alerts);
        Assert.Equal("critical", alert.Severity, ignoreCase: true);
        Assert.Equal(agent.UserId, alert.ActorId);
    }
}
