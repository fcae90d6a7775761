using System.Text.Json;
using Guichet.Privacy.Indexing;

namespace Guichet.Privacy.Tests.Indexing;

public class BlindIndexKnownAnswerTests
{
    [Fact]
    public void Field_keys_and_indexes_match_the_known_answer_vectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KnownAnswers", "blind-index-v1.json")));
        var vectors = document.RootElement.GetProperty("vectors").EnumerateArray().ToList();
        Assert.NotEmpty(vectors);
        foreach (var v in vectors)
        {
            var fieldKey = BlindIndexer.DeriveFieldKey(
                Convert.FromHexString(v.GetProperty("indexRootKey").GetString()!),
                v.GetProperty("entity").GetString()!,
                v.GetProperty("field").GetString()!,
                v.GetProperty("index").GetString()!);
            Assert.Equal(v.GetProperty("fieldKey").GetString(), Convert.ToHexStringLower(fieldKey));

            using var key = new BlindIndexKey(fieldKey);
            var index = key.Compute(v.GetProperty("normalized").GetString(), v.GetProperty("length").GetInt32());
            Assert.Equal(v.GetProperty("blindIndex").GetString(), Convert.ToHexStringLower(index));
        }
    }
}
