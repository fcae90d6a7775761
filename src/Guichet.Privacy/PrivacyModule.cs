using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Privacy;

/// <summary>Composition entry point of the privacy kernel.</summary>
public static class PrivacyModule
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
