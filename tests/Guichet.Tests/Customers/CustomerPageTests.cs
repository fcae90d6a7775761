using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Privacy.Access;
using Guichet.Tests.Infrastructure;

namespace Guichet.Tests.Customers;

public sealed class CustomerPageTests
{
    [Fact]
    public async Task An_agent_searches_the_page_sees_masks_only_and_reveals_one_field_with_a_purpose()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (_, agent) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");
        using var created = await agent.PostAsJsonAsync(new Uri("/api/v1/customers", UriKind.Relative), new { branchId = "branch-a", name = "Test Person", phone = "138 0000 6789" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var searched = await HtmlForms.SubmitAsync(agent, "/customers", "customer-search", new Dictionary<string, string>
        {
            ["Search.Mode"] = "last4",
            ["Search.Query"] = "6789",
        });
        var results = await searched.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, searched.StatusCode);
        Assert.Contains("138****6789", results, StringComparison.Ordinal);
        Assert.DoesNotContain("13800006789", results, StringComparison.Ordinal);
        Assert.DoesNotContain("Test Person", results, StringComparison.Ordinal);

        using var refused = await HtmlForms.SubmitAsync(agent, "/customers", "customer-reveal", new Dictionary<string, string> { ["CustomerId"] = id.ToString(), ["Field"] = "phone", ["Purpose"] = "" }, results);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("State the purpose", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var revealed = await HtmlForms.SubmitAsync(agent, "/customers", "customer-reveal", new Dictionary<string, string> { ["CustomerId"] = id.ToString(), ["Field"] = "phone", ["Purpose"] = "Call back about the appointment" }, results);
        Assert.Contains("<output class=\"fs-4\" id=\"revealed-value\">+8613800006789</output>", WebUtility.HtmlDecode(await revealed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_search_gets_a_readable_message()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var (_, agent) = await server.CreateSignedInAsync(StaffRole.ServiceAgent, "branch-a");

        using var searched = await HtmlForms.SubmitAsync(agent, "/customers", "customer-search", new Dictionary<string, string>
        {
            ["Search.Mode"] = "phone",
            ["Search.Query"] = "12",
        });

        Assert.Equal(HttpStatusCode.OK, searched.StatusCode);
        Assert.Contains("Error:", await searched.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
