using System.Net;
using Guichet.Privacy.Access;
using Guichet.Tests.Infrastructure;

namespace Guichet.Tests.Identity;

public sealed class SignInFlowTests
{
    [Fact]
    public async Task An_invited_member_sets_a_password_enrols_totp_and_is_signed_in()
    {
        await using var server = await GuichetServer.StartAsync();

        var (staff, client) = await server.CreateSignedInAsync(StaffRole.CounterStaff);

        using var response = await client.GetAsync(new Uri("/account/manage", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/account/manage", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(staff.UserName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staff_member_signs_in_with_password_and_authenticator_code()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.BranchManager);

        using var client = await server.SignInAsync(staff);

        using var response = await client.GetAsync(new Uri("/account/security", UriKind.Relative));
        Assert.Equal("/account/security", response.RequestMessage!.RequestUri!.AbsolutePath);
    }
}
