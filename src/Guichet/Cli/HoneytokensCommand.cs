using System.CommandLine;
using System.Data.Common;
using Guichet.Audit;
using Guichet.Customers;
using Guichet.Privacy;
using Guichet.Privacy.Keys;

namespace Guichet.Cli;

/// <summary><c>guichet honeytokens plant --count N</c>: plants fake customers that raise a critical alert when touched.</summary>
internal static class HoneytokensCommand
{
    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var count = new Option<int>("--count") { Description = "How many fake customers to plant (1 to 1000)", DefaultValueFactory = _ => 5 };
        var plant = new Command("plant", "Plant honeytoken customers that no legitimate work touches") { dataDirectory, count };
        plant.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using var host = DbCommand.BuildHost(CommonOptions.Settings(parse, dataDirectory));
                // The planted customers are real records: the kernel's keys and the customer table must be ready.
                await PrivacyModule.PrepareStorageAsync(host.Services, cancellationToken);
                await AuditModule.PrepareStorageAsync(host.Services, cancellationToken);
                await CustomersModule.PrepareStorageAsync(host.Services, cancellationToken);
                return await AuditCommands.PlantHoneytokensAsync(host.Services, parse.GetValue(count), Console.Out, cancellationToken, Console.Error);
            }
            catch (Exception ex) when (ex is KeyProviderException or DbException or InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException or IOException or UnauthorizedAccessException)
            {
                // One line an operator can act on, never a stack trace.
                await Console.Error.WriteLineAsync($"guichet: cannot plant honeytokens: {ex.Message.ReplaceLineEndings(" ")}");
                return 2;
            }
        });

        return new Command("honeytokens", "Honeytoken customers (bait for insiders)") { plant };
    }
}
