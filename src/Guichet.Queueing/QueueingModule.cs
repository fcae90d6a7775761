using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing;

/// <summary>Composition entry point of the service-hall queue.</summary>
public static class QueueingModule
{
    public static IServiceCollection AddQueueing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapQueueingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints;
    }

    /// <summary>Creates or checks the module's storage before serving (see the host's PrepareAsync).</summary>
    public static Task PrepareStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Task.CompletedTask;
    }
}
