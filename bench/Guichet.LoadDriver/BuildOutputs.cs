namespace Guichet.LoadDriver;

/// <summary>Finds the Release builds of this checkout that the driver starts.</summary>
internal static class BuildOutputs
{
    public static string Find(string project, string dll)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Guichet.slnx")))
        {
            directory = directory.Parent;
        }

        var path = directory is null ? null : Path.Combine(directory.FullName, project, "bin", "Release", "net10.0", dll);
        return path is not null && File.Exists(path)
            ? path
            : throw new FileNotFoundException($"No Release build of {project} found; run `dotnet build Guichet.slnx -c Release` first.");
    }
}
