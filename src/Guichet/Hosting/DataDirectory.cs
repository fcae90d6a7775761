using System.Runtime.InteropServices;

namespace Guichet.Hosting;

/// <summary>The data directory and the private files in it (owner-only permissions on Unix).</summary>
internal static class DataDirectory
{
    /// <summary>Owner read and write: the mode of every file Guichet creates (0600).</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner only: the mode of every directory Guichet creates (0700).</summary>
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static string Resolve(string? path) => Path.GetFullPath(string.IsNullOrWhiteSpace(path) ? "data" : path);

    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, PrivateDirectoryMode);
    }

    public static void WritePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Sets the process's file-creation mask to 077, so every file and directory the process
    /// creates is owner-only whoever creates it: SQLite (the database, its -wal and -shm), ASP.NET
    /// Core data protection, the key files. Explicit modes above stay as a second line.
    /// </summary>
    public static void RestrictNewFiles()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            _ = NativeMethods.SetFileCreationMask(0b000_111_111);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "umask")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole host, for one call without marshalling.
        internal static extern uint SetFileCreationMask(uint mask);
#pragma warning restore SYSLIB1054
    }
}
