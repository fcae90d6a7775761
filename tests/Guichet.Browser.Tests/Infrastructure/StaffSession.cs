using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Guichet.Browser.Tests.Infrastructure;

/// <summary>Counter staff in the browser: what the server needs and how staff sign in.</summary>
public static class StaffSession
{
    /// <summary>Host configuration the staff flow needs (none once sign-in is part of the host).</summary>
    public static Action<WebApplicationBuilder>? ConfigureServer { get; set; }

    public static Task SignInAsCounterStaffAsync(HallServer server, IPage page)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(page);
        return Task.CompletedTask;
    }
}
