namespace Guichet.Privacy.Storage;

/// <summary>A data key: one per purpose, or one per data subject (crypto-shredding).</summary>
internal sealed class DataKeyRecord
{
    public int Id { get; set; }

    /// <summary>Unique name: <c>purpose:&lt;name&gt;</c> or <c>subject:&lt;id&gt;</c>.</summary>
    public required string Scope { get; set; }

    public int CurrentVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when the subject was erased; the versions are deleted and the key cannot return.</summary>
    public DateTimeOffset? DestroyedAt { get; set; }

    public List<DataKeyVersionRecord> Versions { get; } = [];
}

/// <summary>One version of a data key, wrapped by the root key.</summary>
internal sealed class DataKeyVersionRecord
{
    public int KeyId { get; set; }

    public int Version { get; set; }

    /// <summary>The key wrapped by the root key; empty once the version is retired.</summary>
    public required byte[] WrappedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>Where an interrupted <c>keys rewrap</c> resumes, per protected column source.</summary>
internal sealed class RewrapCheckpointRecord
{
    public required string Source { get; set; }

    public string? Cursor { get; set; }

    public long Rewrapped { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
