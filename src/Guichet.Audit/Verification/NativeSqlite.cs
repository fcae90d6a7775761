using System.Runtime.InteropServices;

namespace Guichet.Audit.Verification;

/// <summary>
/// The few SQLite column calls the verifier makes per entry, straight into the SQLite library
/// that Microsoft.Data.Sqlite already loaded (e_sqlite3), on a statement it prepared. A
/// column read is tens of nanoseconds of work, and the general wrapper costs more than that
/// per call, thirty calls per entry. Used only when that library is e_sqlite3 and reachable
/// (<see cref="IsUsable"/>).
/// </summary>
internal static partial class NativeSqlite
{
    public const string Library = "e_sqlite3";

    private static readonly Lazy<bool> Usable = new(Probe);

    /// <summary>
    /// Whether the calls below reach the SQLite library Microsoft.Data.Sqlite uses. Asked after
    /// a connection has opened (the wrapper is initialised then); answers false rather than
    /// throw when the library cannot be found this way, and the verifier reads through
    /// SqliteDataReader instead.
    /// </summary>
    public static bool IsUsable => Usable.Value;

    [LibraryImport(Library, EntryPoint = "sqlite3_libversion_number")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int LibraryVersionNumber();

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Step(IntPtr statement);

    // The column calls below read a value of the current row and return at once: no I/O,
    // no callbacks into .NET, so they skip the GC transition.
    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    public static partial int ColumnType(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    public static partial long ColumnInt64(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    public static partial IntPtr ColumnBlob(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    public static partial int ColumnBytes(IntPtr statement, int column);

    private static bool Probe()
    {
        if (!string.Equals(SQLitePCL.raw.GetNativeLibraryName(), Library, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return LibraryVersionNumber() == SQLitePCL.raw.sqlite3_libversion_number();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }
}
