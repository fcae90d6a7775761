using System.Net;
using System.Security.Claims;
using Guichet.Privacy.Access;
using Guichet.Queueing.Configuration;
using Guichet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Queue;

/// <summary>The branch admin pages over a real socket, for a branch manager signed in for real.</summary>
public sealed class BranchAdminPageTests
{
    [Fact]
    public async Task A_branch_manager_configures_their_branch_on_the_pages_and_finds_no_other()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var anonymous = server.CreateClient();
        var (branchId, _) = await QueueApiHost.DemoHallAsync(anonymous);
        var otherId = await CreateBranchAsync(server, "Test Branch South");
        var (_, manager) = await server.CreateSignedInAsync(StaffRole.BranchManager, branchId.ToString());
        var servicePage = $"/admin/branches/{branchId}/services/new";
        var goodService = new Dictionary<string, string>
        {
            ["Input.Name"] = "Foreign exchange",
            ["Input.BusinessType"] = "Retail",
            ["Input.Prefix"] = "FX",
            ["Input.DailyCap"] = "100",
            ["Input.WaitingWarningLevel"] = "5",
            ["Input.DefaultServiceMinutes"] = "6",
            ["Input.CollectsPhone"] = "false",
            ["Input.CollectsIdNumber"] = "false",
        };

        var home = await manager.GetStringAsync(new Uri("/admin", UriKind.Relative));
        var list = await manager.GetStringAsync(new Uri("/admin/branches", UriKind.Relative));
        using var own = await manager.GetAsync(new Uri($"/admin/branches/{branchId}", UriKind.Relative));
        using var other = await manager.GetAsync(new Uri($"/admin/branches/{otherId}", UriKind.Relative));
        using var otherService = await manager.GetAsync(new Uri($"/admin/branches/{otherId}/services/new", UriKind.Relative));
        using var create = await manager.GetAsync(new Uri("/admin/branches/new", UriKind.Relative));
        using var refused = await HtmlForms.SubmitAsync(manager, servicePage, "service", new Dictionary<string, string>(goodService) { ["Input.Prefix"] = "A" });
        var refusedPage = await refused.Content.ReadAsStringAsync();
        var servicesAfterRefusal = await ServiceCountAsync(server);
        using var saved = await HtmlForms.SubmitAsync(manager, servicePage, "service", goodService);

        Assert.Contains("href=\"/admin/branches\"", home, StringComparison.Ordinal);
        Assert.Contains("Demo Branch", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Test Branch South", list, StringComparison.Ordinal);
        Assert.DoesNotContain("New branch", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain("Test Branch South", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherService.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("Error: Another service of this branch already uses the prefix A.", refusedPage, StringComparison.Ordinal);
        Assert.Equal(3, servicesAfterRefusal);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.EndsWith($"/admin/branches/{branchId}", saved.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("Foreign exchange", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(4, await ServiceCountAsync(server));
    }

    private static Task<int> ServiceCountAsync(GuichetServer server) =>
        QueueApiTests.WithDbAsync(server, db => db.Services.CountAsync());

    private static async Task<Guid> CreateBranchAsync(GuichetServer server, string name)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var admin = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(GuichetClaimTypes.ActorId, "admin-test"), new Claim(GuichetClaimTypes.ActorKind, "staff"), new Claim(GuichetClaimTypes.Branch, GuichetClaimTypes.AllBranches)], "test"));
        var result = await scope.ServiceProvider.GetRequiredService<IBranchConfiguration>().CreateBranchAsync(admin, new BranchInput(name, "Etc/UTC"), null, CancellationToken.None);
        Assert.Equal(ConfigurationStatus.Ok, result.Status);
        return result.Value!.Id;
    }
}
