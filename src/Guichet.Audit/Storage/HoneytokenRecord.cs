namespace Guichet.Audit.Storage;

/// <summary>A planted fake customer that no legitimate work touches.</summary>
internal sealed class HoneytokenRecord
{
    public string ResourceType { get; set; } = "";

    public string ResourceId { get; set; } = "";

    public DateTime PlantedAt { get; set; }
}
