using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Audit;

/// <summary>Composition entry point of the audit ledger.</summary>
public static class AuditModule
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
