using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Cli;
using Guichet.Hosting;
using Guichet.Tests.Infrastructure;
using Guichet.Tests.Privacy;
using Guichet.Tests.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guichet.Tests.Hosting;

/// <summary>
/// EF Core's SQL command log and ASP.NET Core's per-request lines stay out of the logs of serve
/// and the CLI unless an operator asks for them.
/// </summary>
public sealed class LoggingDefaultsTests
{
    private const string SqlCommandCategory = "Microsoft.EntityFrameworkCore.Database.Command";

    [Fact]
    public async Task Serve_does_not_log_sql_commands_at_information()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var logger = server.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SqlCommandCategory);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
        Assert.True(server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Guichet.Test").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task Serve_does_not_log_every_request_at_information()
    {
        await using var server = await GuichetServer.StartAsync(demo: false);
        var loggers = server.Services.GetRequiredService<ILoggerFactory>();

        foreach (var category in new[] { "Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing.EndpointMiddleware", "Microsoft.AspNetCore.Http.Result.CreatedResult" })
        {
            Assert.False(loggers.CreateLogger(category).IsEnabled(LogLevel.Information), category);
            Assert.True(loggers.CreateLogger(category).IsEnabled(LogLevel.Warning), category);
        }

        // Startup still says where the server listens.
        Assert.True(loggers.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Information));
    }

    /// <summary>
    /// An operator reads warnings as something to act on: taking a ticket, following it and
    /// listing the services write none (EF Core warned about the queue's bounded counts). The
    /// test host's own startup warning (its key file has no passphrase) is not the visit's.
    /// </summary>
    [Fact]
    public async Task A_customers_ordinary_visit_writes_no_warning()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await GuichetServer.StartAsync(configure: builder => builder.Logging.AddProvider(logs));
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);
        var atStart = logs.Warnings.ToList();

        using var created = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["B"], channel = "kiosk", phone = "+86 138 0000 0001" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackerToken").GetString();
        using var tracked = await client.GetAsync(new Uri($"/api/v1/tickets/{token}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        using var listed = await client.GetAsync(new Uri($"/api/v1/branches/{branchId}/services", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);

        Assert.Equal(atStart, logs.Warnings);
    }

    [Fact]
    public void Cli_verbs_do_not_log_sql_commands_at_information()
    {
        using var host = DbCommand.BuildHost(new HostSettings(TestDirectories.Create(), []));
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SqlCommandCategory);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public async Task An_operator_can_turn_sql_command_logging_on_in_guichet_json()
    {
        var dataDirectory = TestDirectories.Create();
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "guichet.json"), """{ "Logging": { "LogLevel": { "Microsoft.EntityFrameworkCore": "Information" } } }""");
        await using var server = await GuichetServer.StartAsync(dataDirectory, demo: false);

        Assert.True(server.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SqlCommandCategory).IsEnabled(LogLevel.Information));
    }
}
