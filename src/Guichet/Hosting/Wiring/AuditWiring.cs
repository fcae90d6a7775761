using Guichet.Audit.Detection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guichet.Hosting.Wiring;

/// <summary>
/// Where the audit module meets the others: its responses act through Identity, its
/// off-hours rule reads the queue's opening hours. Called after every module is added, so
/// these replace the audit module's stand-ins.
/// </summary>
internal static class AuditWiring
{
    public static IServiceCollection AddAuditWiring(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Scoped<Audit.Response.IAccountFreezer, AuditAccountFreezer>());
        services.Replace(ServiceDescriptor.Singleton<IBranchHoursProvider, QueueBranchHours>());
        services.AddSingleton<LastLedgerVerdict>();
        return services;
    }
}
