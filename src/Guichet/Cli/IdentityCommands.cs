using System.CommandLine;
using Guichet.Hosting;
using Guichet.Identity;
using Guichet.Identity.Accounts;
using Guichet.Identity.ApiKeys;
using Guichet.Identity.Data;
using Guichet.Identity.Devices;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Guichet.Cli;

/// <summary>
/// <c>guichet admin create|invite</c>, <c>guichet apikey create|list|revoke</c> and
/// <c>guichet device enrol-code</c>: account and credential work from the server's console.
/// Secrets are printed once and never logged; the audit trail records who (the system
/// operator) did what.
/// </summary>
internal static class IdentityCommands
{
    private static readonly AuditActor Operator = new(AuditActorKind.System, "cli");

    public static Command Admin()
    {
        var command = new Command("admin", "Staff accounts");
        command.Subcommands.Add(AdminCreate());
        command.Subcommands.Add(AdminInvite());
        return command;
    }

    public static Command ApiKey()
    {
        var command = new Command("apikey", "API keys for integrations");
        command.Subcommands.Add(ApiKeyCreate());
        command.Subcommands.Add(ApiKeyList());
        command.Subcommands.Add(ApiKeyRevoke());
        return command;
    }

    public static Command Device()
    {
        var command = new Command("device", "Kiosks and display boards");
        var dataDirectory = CommonOptions.DataDirectory();
        var branch = new Option<string>("--branch") { Description = "Branch id the device serves", Required = true };
        var kind = new Option<DeviceKind>("--kind") { Description = "Kiosk or Display", Required = true };
        var name = new Option<string>("--name") { Description = "A name to recognise the device by", DefaultValueFactory = _ => "device" };
        var enrol = new Command("enrol-code", "Print a one-time code a kiosk or display exchanges for its credential") { dataDirectory, branch, kind, name };
        enrol.SetAction((parse, cancellationToken) => RunAsync(parse, dataDirectory, async services =>
        {
            if (!StaffAccounts.IsValidBranch(parse.GetValue(branch)) || parse.GetValue(branch) == GuichetClaimTypes.AllBranches)
            {
                await Console.Error.WriteLineAsync("guichet: --branch must be one branch id.");
                return 1;
            }

            var registry = services.GetRequiredService<DeviceRegistry>();
            var code = await registry.CreateEnrolmentCodeAsync(parse.GetValue(branch)!, parse.GetValue(kind), parse.GetValue(name)!, Operator, cancellationToken);
            var lifetime = services.GetRequiredService<IOptionsMonitor<GuichetIdentityOptions>>().CurrentValue.DeviceCodeLifetime;
            Console.WriteLine($"One-time device enrolment code (valid {lifetime.TotalMinutes:0} min): {code}");
            return 0;
        }, cancellationToken));
        command.Subcommands.Add(enrol);
        return command;
    }

    private static Command AdminCreate()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var user = new Option<string>("--user") { Description = "User name of the administrator", Required = true };
        var baseUrl = BaseUrl();
        var command = new Command("create", "Create an administrator and print their one-time enrolment link") { dataDirectory, user, baseUrl };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, dataDirectory, async services =>
        {
            var accounts = services.GetRequiredService<StaffAccounts>();
            var result = await accounts.InviteAsync(parse.GetValue(user)!, [StaffRole.Administrator], [GuichetClaimTypes.AllBranches], Operator, cancellationToken);
            return await PrintEnrolmentAsync(services, parse.GetValue(baseUrl), result);
        }, cancellationToken));
        return command;
    }

    private static Command AdminInvite()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var user = new Option<string>("--user") { Description = "User name of the staff member", Required = true };
        var roles = new Option<StaffRole[]>("--role") { Description = "Role (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = true };
        var branches = new Option<string[]>("--branch") { Description = "Branch id in scope (repeat for several; * for all)", Required = true, AllowMultipleArgumentsPerToken = true };
        var baseUrl = BaseUrl();
        var command = new Command("invite", "Invite a staff member with roles and branches; prints their one-time enrolment link") { dataDirectory, user, roles, branches, baseUrl };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, dataDirectory, async services =>
        {
            var accounts = services.GetRequiredService<StaffAccounts>();
            var result = await accounts.InviteAsync(parse.GetValue(user)!, parse.GetValue(roles)!, parse.GetValue(branches)!, Operator, cancellationToken);
            return await PrintEnrolmentAsync(services, parse.GetValue(baseUrl), result);
        }, cancellationToken));
        return command;
    }

    private static Command ApiKeyCreate()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var name = new Option<string>("--name") { Description = "Name of the integration", Required = true };
        var role = new Option<StaffRole>("--role") { Description = "Role the key acts with (CounterStaff, ServiceAgent, BranchManager, Operator)", Required = true };
        var branch = new Option<string>("--branch") { Description = "Branch id the key is scoped to", Required = true };
        var days = new Option<int?>("--expires-in-days") { Description = "Lifetime in days (default: Identity:ApiKeyLifetime, 90 days)" };
        var command = new Command("create", "Create an API key and print it once") { dataDirectory, name, role, branch, days };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, dataDirectory, async services =>
        {
            var keyName = parse.GetValue(name)!.Trim();
            if (keyName.Length is 0 or > 100 || !Identity.Access.Permissions.ApiKeyRoles.Contains(parse.GetValue(role)) || !StaffAccounts.IsValidBranch(parse.GetValue(branch)) || parse.GetValue(days) is <= 0 or > 3650)
            {
                await Console.Error.WriteLineAsync($"guichet: give a name (1-100 characters), one of the roles {string.Join(", ", Identity.Access.Permissions.ApiKeyRoles)}, a branch id, and a lifetime of 1 to 3650 days.");
                return 1;
            }

            var lifetime = parse.GetValue(days) is { } d ? TimeSpan.FromDays(d) : (TimeSpan?)null;
            var issued = await services.GetRequiredService<ApiKeyRegistry>().CreateAsync(keyName, parse.GetValue(role), parse.GetValue(branch)!, lifetime, Operator, cancellationToken: cancellationToken);
            Console.WriteLine($"API key {issued.Id} (expires {issued.ExpiresAt:u}). It is shown only now:");
            Console.WriteLine(issued.Key);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command ApiKeyList()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var command = new Command("list", "List API keys (never the keys themselves)") { dataDirectory };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, dataDirectory, async services =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var table = new Table().AddColumns("Id", "Name", "Role", "Branch", "Expires", "Last used", "State");
            foreach (var key in await services.GetRequiredService<ApiKeyRegistry>().ListAsync(cancellationToken))
            {
                var state = key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active";
                table.AddRow(key.Id.ToString(), Markup.Escape(key.Name), key.Role.ToString(), Markup.Escape(key.BranchId), key.ExpiresAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), key.LastUsedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never", state);
            }

            AnsiConsole.Write(table);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command ApiKeyRevoke()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var id = new Option<Guid>("--id") { Description = "Id of the key (see apikey list)", Required = true };
        var command = new Command("revoke", "Revoke an API key at once") { dataDirectory, id };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, dataDirectory, async services =>
        {
            if (!await services.GetRequiredService<ApiKeyRegistry>().RevokeAsync(parse.GetValue(id), Operator, cancellationToken))
            {
                await Console.Error.WriteLineAsync("guichet: no active API key has that id.");
                return 1;
            }

            Console.WriteLine("Revoked.");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Option<string?> BaseUrl() => new("--base-url")
    {
        Description = "Address staff open the link at (default: Identity:PublicOrigin, else https://localhost:5443)",
    };

    private static async Task<int> PrintEnrolmentAsync(IServiceProvider services, string? baseUrl, AccountResult result)
    {
        if (!result.Succeeded)
        {
            await Console.Error.WriteLineAsync($"guichet: {result.Error}");
            return 1;
        }

        var settings = services.GetRequiredService<IOptionsMonitor<GuichetIdentityOptions>>().CurrentValue;
        var origin = baseUrl is not null && Uri.TryCreate(baseUrl, UriKind.Absolute, out var given) ? given
            : settings.PublicOrigin ?? new Uri("https://localhost:5443");
        Console.WriteLine($"One-time enrolment link (valid {settings.EnrolmentLinkLifetime.TotalHours:0} h, works once):");
        Console.WriteLine(new Uri(origin, "/account/enrol?token=" + result.EnrolmentToken));
        return 0;
    }

    private static async Task<int> RunAsync(ParseResult parse, Option<string> dataDirectory, Func<IServiceProvider, Task<int>> action, CancellationToken cancellationToken)
    {
        var settings = CommonOptions.Settings(parse, dataDirectory);
        try
        {
            // The same preparation as serve: the root key must open (the ledger records every
            // account and credential change), and the tables must be current.
            await using var app = GuichetApp.Build(settings);
            await GuichetApp.PrepareAsync(app, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            return await action(scope.ServiceProvider);
        }
        catch (HostConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"guichet: {ex.Message}");
            return 2;
        }
    }
}
