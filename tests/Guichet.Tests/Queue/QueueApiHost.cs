using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using Guichet.Privacy.Access;
using Guichet.Queueing;
using Guichet.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guichet.Tests.Queue;

/// <summary>Starts the real host with the demo hall and helpers for the queue API.</summary>
internal static class QueueApiHost
{
    public static Task<GuichetServer> StartAsync(IDictionary<string, string?>? settings = null, bool withStaffPolicies = false) =>
        GuichetServer.StartAsync(configure: builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>
            {
                ["Queueing:KioskTicketsPerMinute"] = "1000",
                ["Queueing:OnlineTicketsPerHour"] = "1000",
            });
            if (withStaffPolicies)
            {
                AddStaffPolicies(builder.Services);
            }
        });

    /// <summary>
    /// Sign-in lands with the Identity work; until then the host knows no scheme. This registers a
    /// scheme that never signs anyone in, and the queue's permission policies, so the staff
    /// endpoints' protection can be checked for anonymous callers.
    /// </summary>
    private static void AddStaffPolicies(IServiceCollection services)
    {
        services.AddAuthentication(NobodyHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, NobodyHandler>(NobodyHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(QueueingPermissions.OperateCounter, policy => policy.RequireClaim(GuichetClaimTypes.Permission, QueueingPermissions.OperateCounter))
            .AddPolicy(QueueingPermissions.ManageBranch, policy => policy.RequireClaim(GuichetClaimTypes.Permission, QueueingPermissions.ManageBranch));
    }

    public static async Task<(Guid BranchId, Dictionary<string, Guid> ServicesByPrefix)> DemoHallAsync(HttpClient client)
    {
        var branches = await client.GetFromJsonAsync<JsonElement>("/api/v1/branches");
        var branchId = branches.EnumerateArray().Single(b => b.GetProperty("name").GetString() == "Demo Branch").GetProperty("id").GetGuid();
        var services = await client.GetFromJsonAsync<JsonElement>($"/api/v1/branches/{branchId}/services");
        return (branchId, services.EnumerateArray().ToDictionary(s => s.GetProperty("prefix").GetString()!, s => s.GetProperty("id").GetGuid()));
    }

    public static Task<HttpResponseMessage> TakeTicketAsync(HttpClient client, Guid branchId, object body) =>
        client.PostAsJsonAsync($"/api/v1/branches/{branchId}/tickets", body);

    private sealed class NobodyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Nobody";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
