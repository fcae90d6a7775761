using System.Net;
using Guichet.Audit.Detection;
using Guichet.Hosting.Wiring;
using Guichet.Privacy.Access;
using Guichet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Audit;

/// <summary>A burst of failed sign-ins from one address blocks that address for a while, never for good.</summary>
public sealed class SignInAddressBlockTests
{
    private static readonly Dictionary<string, string?> BurstOfThree = new()
    {
        ["Audit:Rules:FailedSignInsPerAddress:AlertAbove"] = "3",
        ["Audit:Rules:FailedSignInsPerAddress:BlockFor"] = "00:02:00",
    };

    [Fact]
    public async Task A_burst_of_failed_sign_ins_blocks_the_address_with_a_generic_429_until_the_block_expires()
    {
        var (server, time) = await FakeTimeServer.StartAsync(BurstOfThree);
        await using var _ = server;
        var (staff, signedIn) = await server.CreateSignedInAsync(StaffRole.CounterStaff);

        using var attacker = server.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(attacker, staff, password: "Wrong passphrase for the test"));
        }

        using (var blocked = await PostLoginAsync(server))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
            Assert.Equal(SignInAddressBlock.Message, await blocked.Content.ReadAsStringAsync());
            Assert.NotNull(blocked.Headers.RetryAfter);
        }

        using var rightful = server.CreateClient();
        Assert.Equal(HttpStatusCode.TooManyRequests, await server.TrySignInAsync(rightful, staff));

        // Only sign-in attempts are refused: a session already open from that address goes on.
        using (var session = await signedIn.GetAsync(new Uri("/api/v1/whoami", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        }

        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, await server.TrySignInAsync(rightful, staff));
    }

    [Fact]
    public async Task An_address_on_the_never_block_list_is_not_blocked()
    {
        var settings = new Dictionary<string, string?>(BurstOfThree)
        {
            ["Audit:Rules:FailedSignInsPerAddress:NeverBlock:0"] = "127.0.0.0/8",
        };
        var (server, _) = await FakeTimeServer.StartAsync(settings);
        await using var __ = server;
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.CounterStaff);

        using var client = server.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(client, staff, password: "Wrong passphrase for the test"));
        }

        Assert.Null(server.Services.GetRequiredService<IClientBlocklist>().BlockedUntil("127.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, await server.TrySignInAsync(client, staff));
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(GuichetServer server)
    {
        using var client = server.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.UserName"] = "test-person", ["Input.Password"] = "irrelevant" });
        return await client.PostAsync(new Uri("/account/login", UriKind.Relative), form);
    }
}
