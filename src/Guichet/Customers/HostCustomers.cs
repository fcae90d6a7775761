using Guichet.Audit.Honeytokens;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guichet.Customers;

/// <summary>The host's composition of the customer module with the audit module's honeytokens (the modules do not know each other).</summary>
internal static class HostCustomers
{
    public static IServiceCollection AddHostCustomers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCustomers(configuration);
        services.Replace(ServiceDescriptor.Singleton<IHoneytokenPlanter, CustomerHoneytokenPlanter>());
        return services;
    }
}
