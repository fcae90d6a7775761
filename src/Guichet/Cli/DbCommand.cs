using System.CommandLine;
using Guichet.Audit;
using Guichet.Customers;
using Guichet.Hosting;
using Guichet.Identity;
using Guichet.Privacy;
using Guichet.Queueing;

namespace Guichet.Cli;

/// <summary>
/// <c>guichet db migrate</c>: brings every module's tables up to date in the configured database
/// (the explicit step PostgreSQL deployments take before <c>serve</c>).
/// </summary>
internal static class DbCommand
{
    /// <summary>Each module's migration step, in dependency order. Modules with storage add theirs here.</summary>
    private static readonly (string Module, Func<IServiceProvider, CancellationToken, Task<int>> Migrate)[] Modules =
    [
        ("privacy", PrivacyModule.MigrateAsync),
        ("audit", AuditModule.MigrateAsync),
        ("queue", QueueingModule.MigrateAsync),
        ("identity", IdentityModule.MigrateAsync),
        ("customers", CustomersModule.MigrateAsync),
    ];

    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var migrate = new Command("migrate", "Apply every module's pending database migrations") { dataDirectory };
        migrate.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CommonOptions.Settings(parse, dataDirectory);
            try
            {
                using var host = BuildHost(settings);
                foreach (var (module, step) in Modules)
                {
                    var applied = await step(host.Services, cancellationToken);
                    Console.WriteLine(applied == 0 ? $"  {module,-10} up to date" : $"  {module,-10} applied {applied} migration(s)");
                }

                Console.WriteLine("Database is up to date.");
                return 0;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
            {
                await Console.Error.WriteLineAsync($"guichet: migration failed: {ex.Message}");
                return 1;
            }
        });

        return new Command("db", "Database maintenance") { migrate };
    }

    /// <summary>The modules' services over the same configuration sources as <c>serve</c> (see GuichetApp.Build).</summary>
    internal static IHost BuildHost(HostSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        GuichetConfiguration.AddSources(builder.Configuration, settings);
        GuichetConfiguration.AddCliLogging(builder.Logging, builder.Configuration);
        builder.Services.AddPrivacy(builder.Configuration);
        builder.Services.AddAudit(builder.Configuration);
        builder.Services.AddQueueing(builder.Configuration);
        IdentityModule.AddIdentityStorage(builder.Services, builder.Configuration);
        builder.Services.AddHostCustomers(builder.Configuration);
        return builder.Build();
    }
}
