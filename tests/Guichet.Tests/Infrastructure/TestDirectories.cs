namespace Guichet.Tests.Infrastructure;

/// <summary>Fresh, private temporary directories for data directories under test.</summary>
public static class TestDirectories
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "guichet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
