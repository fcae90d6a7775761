using System.Text.Json;

namespace Guichet.Tests.Hosting;

/// <summary>
/// The runtime settings the server's figures in docs/benchmarks.md were measured with
/// (src/Guichet/ServerRuntime.props) reach the runtime configuration that ships beside
/// guichet.dll, where the runtime reads them at start.
/// </summary>
public sealed class ServerRuntimeConfigTests
{
    [Theory]
    [InlineData("System.GC.Server", "true")]
    [InlineData("System.GC.DGen0GrowthPercent", "20")]
    public void The_shipped_runtime_configuration_carries_the_measured_setting(string name, string value)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "guichet.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty(name, out var setting), $"{name} is missing from guichet.runtimeconfig.json");
        Assert.Equal(value, setting.ToString().ToLowerInvariant());
    }
}
