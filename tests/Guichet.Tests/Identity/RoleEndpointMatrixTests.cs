using System.Net;
using System.Net.Http.Json;
using System.Text;
using Guichet.Identity.Access;
using Guichet.Identity.ApiKeys;
using Guichet.Identity.Data;
using Guichet.Identity.Devices;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Identity;

/// <summary>
/// P3: for every endpoint of the host (pages and API) and every kind of principal — anonymous,
/// each staff role (signed in for real), each device kind, an API client — the answer matches
/// <see cref="EndpointAccessTable"/>; an endpoint the table does not list fails the test.
/// </summary>
public sealed class RoleEndpointMatrixTests
{
    private enum Outcome
    {
        Allowed,
        SignInRequired,
        Forbidden,
    }

    [Fact]
    public async Task Every_endpoint_is_in_the_access_table()
    {
        await using var server = await GuichetServer.StartAsync();

        var endpoints = EndpointInventory.Keys(server.Services);

        var missing = endpoints.Except(EndpointAccessTable.Rules.Keys).ToList();
        var stale = EndpointAccessTable.Rules.Keys.Except(endpoints).ToList();
        Assert.True(missing.Count == 0, "Endpoints without an access rule in EndpointAccessTable: " + string.Join("; ", missing));
        Assert.True(stale.Count == 0, "Access rules for endpoints that do not exist: " + string.Join("; ", stale));
    }

    [Fact]
    public async Task Every_principal_gets_the_expected_answer_from_every_endpoint()
    {
        var (server, _) = await FakeTimeServer.StartAsync(new Dictionary<string, string?> { ["Identity:SignInPostsPerMinute"] = "10000" });
        await using var _ = server;
        var principals = await CreatePrincipalsAsync(server);
        var failures = new StringBuilder();

        foreach (var endpoint in EndpointInventory.Keys(server.Services))
        {
            var rule = EndpointAccessTable.Rules[endpoint];
            foreach (var principal in principals)
            {
                var expected = Expected(rule, principal);
                var actual = await ProbeAsync(principal, endpoint);
                if (actual != expected)
                {
                    failures.Append(principal.Name).Append(" → ").Append(endpoint).Append(": expected ").Append(expected).Append(", got ").Append(actual).AppendLine();
                }
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static Outcome Expected(AccessRule rule, Principal principal) => rule switch
    {
        AccessRule.PublicRule => Outcome.Allowed,
        _ when principal.Kind == "anonymous" => Outcome.SignInRequired,
        AccessRule.AuthenticatedRule => Outcome.Allowed,
        AccessRule.StaffRule => principal.Kind == "staff" ? Outcome.Allowed : Outcome.Forbidden,
        AccessRule.DeviceRule => principal.Kind == "device" ? Outcome.Allowed : Outcome.Forbidden,
        AccessRule.PermissionRule p => principal.Permissions.Contains(p.Name) ? Outcome.Allowed : Outcome.Forbidden,
        _ => throw new InvalidOperationException("Unknown rule."),
    };

    private static async Task<Outcome> ProbeAsync(Principal principal, string endpoint)
    {
        var (method, path) = Request(endpoint);
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (principal.Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", principal.Authorization);
        }

        if (method == HttpMethod.Post || method == HttpMethod.Put)
        {
            request.Content = path.StartsWith("/api/", StringComparison.Ordinal)
                ? JsonContent.Create(new { })
                : new FormUrlEncodedContent([]);
        }

        // Headers only: an event stream the principal may follow never ends by itself.
        using var response = await principal.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => Outcome.SignInRequired,
            HttpStatusCode.Forbidden => Outcome.Forbidden,
            HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther when location.Contains("/account/login?ReturnUrl=", StringComparison.Ordinal) => Outcome.SignInRequired,
            HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther when location.Contains("/account/access-denied", StringComparison.Ordinal) => Outcome.Forbidden,
            >= HttpStatusCode.InternalServerError => throw new InvalidOperationException($"{principal.Name} → {endpoint}: server error {response.StatusCode}"),
            _ => Outcome.Allowed,
        };
    }

    private static (HttpMethod Method, string Path) Request(string endpoint)
    {
        var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
        var methods = endpoint[..space].Split(',');
        var path = endpoint[(space + 1)..]
            .Replace("{**path:file}", "favicon.png", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("{Id}", Guid.Empty.ToString(), StringComparison.Ordinal);
        // Every other route parameter gets a value its constraint accepts, so the probe reaches
        // the endpoint's authorization instead of falling through routing.
        path = System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]+\}", match =>
            match.Value.Contains("guid", StringComparison.OrdinalIgnoreCase) ? Guid.Empty.ToString() : "AAAAAAAAAAAAAAAAAAAAAA");
        return (methods.Contains("GET") ? HttpMethod.Get : new HttpMethod(methods[0]), path);
    }

    private sealed record Principal(string Name, string Kind, HttpClient Client, string? Authorization, IReadOnlySet<string> Permissions);

    private static async Task<List<Principal>> CreatePrincipalsAsync(GuichetServer server)
    {
        var principals = new List<Principal> { new("anonymous", "anonymous", server.CreateClient(allowRedirects: false), null, new HashSet<string>()) };
        foreach (var role in Enum.GetValues<StaffRole>())
        {
            var (staff, _) = await server.CreateSignedInAsync(role);
            var signedIn = await SignInWithoutRedirectsAsync(server, staff);
            principals.Add(new(role.ToString(), "staff", signedIn, null, Permissions.ByRole[role].ToHashSet()));
        }

        await using var scope = server.Services.CreateAsyncScope();
        foreach (var kind in Enum.GetValues<DeviceKind>())
        {
            var code = await scope.ServiceProvider.GetRequiredService<DeviceRegistry>().CreateEnrolmentCodeAsync("branch-a", kind, kind + " test", AuditActor.System);
            var enrolment = await scope.ServiceProvider.GetRequiredService<DeviceRegistry>().EnrolAsync(code);
            principals.Add(new(kind + " device", "device", server.CreateClient(allowRedirects: false), "Device " + enrolment!.Credential, Permissions.ByDevice[kind].ToHashSet()));
        }

        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyRegistry>().CreateAsync("matrix", StaffRole.CounterStaff, "branch-a", null, AuditActor.System);
        principals.Add(new("api client (CounterStaff)", "api-client", server.CreateClient(allowRedirects: false), "ApiKey " + key.Key, Permissions.ByRole[StaffRole.CounterStaff].ToHashSet()));
        var managerKey = await scope.ServiceProvider.GetRequiredService<ApiKeyRegistry>().CreateAsync("matrix-manager", StaffRole.BranchManager, "branch-a", null, AuditActor.System);
        principals.Add(new("api client (BranchManager)", "api-client", server.CreateClient(allowRedirects: false), "ApiKey " + managerKey.Key, Permissions.ByRole[StaffRole.BranchManager].ToHashSet()));
        return principals;
    }

    /// <summary>Signs in for real, then hands over the cookies to a client that does not follow redirects.</summary>
    private static async Task<HttpClient> SignInWithoutRedirectsAsync(GuichetServer server, TestStaff staff)
    {
        var cookies = new CookieContainer();
        var client = server.CreateClient(cookies, allowRedirects: false);
        using var signIn = server.CreateClient(cookies);
        Assert.Equal(HttpStatusCode.OK, await server.TrySignInAsync(signIn, staff));
        return client;
    }
}
