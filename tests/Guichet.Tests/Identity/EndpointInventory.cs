using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Identity;

/// <summary>Every routed endpoint of the running host, as "METHODS pattern" (static files left out).</summary>
internal static class EndpointInventory
{
    public static IReadOnlyList<string> Keys(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !e.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor"))
            .Select(Key)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    public static string Key(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
        return string.Join(",", methods.Order(StringComparer.Ordinal)) + " /" + endpoint.RoutePattern.RawText!.TrimStart('/');
    }
}
