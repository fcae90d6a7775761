using System.Globalization;
using System.Text.Json;
using Guichet.Audit.Storage;

namespace Guichet.Audit.Tests.Infrastructure;

/// <summary>One documented ledger-hash vector: the entry, and the encoding and hash it must give.</summary>
internal sealed record KnownAnswerVector(LedgerEntry Entry, byte[] PreviousHash, string Encoding, string Hash);

/// <summary>Reads <c>KnownAnswers/ledger-hash.json</c>, the vectors docs/audit.md publishes.</summary>
internal static class KnownAnswerVectors
{
    public static IReadOnlyList<KnownAnswerVector> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KnownAnswers", "ledger-hash.json")));
        return [.. document.RootElement.GetProperty("vectors").EnumerateArray().Select(Read)];
    }

    private static KnownAnswerVector Read(JsonElement vector)
    {
        string? Text(string name) => vector.GetProperty(name).GetString();
        var entry = new LedgerEntry
        {
            Sequence = vector.GetProperty("sequence").GetInt64(),
            OccurredAt = DateTime.Parse(Text("occurredAt")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
            ActorKind = Text("actorKind")!,
            ActorId = Text("actorId")!,
            Action = Text("action")!,
            ResourceType = Text("resourceType"),
            ResourceId = Text("resourceId"),
            Purpose = Text("purpose"),
            Outcome = Text("outcome")!,
            ClientAddress = Text("clientAddress"),
            CorrelationId = Text("correlationId"),
            BranchId = Text("branchId"),
        };
        return new KnownAnswerVector(entry, Convert.FromHexString(Text("previousHash")!), Text("encoding")!, Text("hash")!);
    }
}
