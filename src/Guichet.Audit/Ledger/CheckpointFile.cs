using System.Globalization;
using System.Text;
using Guichet.Audit.Storage;

namespace Guichet.Audit.Ledger;

/// <summary>
/// The external checkpoint file: one line per checkpoint, appended and fsynced, so a copy of
/// the chain's signed state lives outside the database (it may sit on other storage).
/// Line: <c>v1 &lt;sequence&gt; &lt;UTC time, microseconds&gt; &lt;hash hex&gt; &lt;key id&gt; &lt;signature base64&gt;</c>.
/// </summary>
internal static class CheckpointFile
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Format(CheckpointRecord checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return string.Join(
            ' ',
            "v1",
            checkpoint.Sequence.ToString(CultureInfo.InvariantCulture),
            checkpoint.CreatedAt.ToString(TimeFormat, CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(checkpoint.Hash),
            checkpoint.KeyId,
            Convert.ToBase64String(checkpoint.Signature));
    }

    public static bool TryParse(string line, out CheckpointRecord checkpoint)
    {
        ArgumentNullException.ThrowIfNull(line);
        checkpoint = new CheckpointRecord();
        var parts = line.Split(' ');
        if (parts.Length != 6 || parts[0] != "v1"
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !DateTime.TryParseExact(parts[2], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var createdAt)
            || parts[3].Length != LedgerHash.Size * 2)
        {
            return false;
        }

        try
        {
            checkpoint = new CheckpointRecord
            {
                Sequence = sequence,
                CreatedAt = DateTime.SpecifyKind(createdAt, DateTimeKind.Utc),
                Hash = Convert.FromHexString(parts[3]),
                KeyId = parts[4],
                Signature = Convert.FromBase64String(parts[5]),
            };
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Appends and fsyncs; creates the file (owner-only) and its folder when missing.</summary>
    public static void Append(string path, IReadOnlyCollection<CheckpointRecord> checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        if (checkpoints.Count == 0)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var text = new StringBuilder();
        foreach (var checkpoint in checkpoints)
        {
            text.Append(Format(checkpoint)).Append('\n');
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(text.ToString()));
        stream.Flush(flushToDisk: true);
    }
}
