using Guichet.Audit.Ledger;
using Guichet.Audit.Storage;
using Guichet.Audit.Tests.Infrastructure;

namespace Guichet.Audit.Tests.Ledger;

public sealed class LedgerHashKnownAnswerTests
{
    public static TheoryData<int> Vectors() => [0, 1];

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encoding_and_hash_match_the_documented_vector(int index)
    {
        var vector = KnownAnswerVectors.Load()[index];

        Assert.Equal(vector.Encoding, Convert.ToHexStringLower(LedgerHash.Encode(vector.Entry)));
        Assert.Equal(vector.Hash, Convert.ToHexStringLower(LedgerHash.Compute(vector.PreviousHash, vector.Entry)));
    }

    [Fact]
    public void Null_and_empty_fields_hash_differently()
    {
        var withNull = new LedgerEntry { Sequence = 1, ActorKind = "staff", ActorId = "a", Action = "x.y", Outcome = "success", Purpose = null };
        var withEmpty = new LedgerEntry { Sequence = 1, ActorKind = "staff", ActorId = "a", Action = "x.y", Outcome = "success", Purpose = "" };

        Assert.NotEqual(LedgerHash.Compute(LedgerHash.Genesis, withNull), LedgerHash.Compute(LedgerHash.Genesis, withEmpty));
    }

    [Fact]
    public void Moving_a_character_between_adjacent_fields_changes_the_hash()
    {
        var first = new LedgerEntry { Sequence = 1, ActorKind = "staff", ActorId = "ab", Action = "c.d", Outcome = "success" };
        var second = new LedgerEntry { Sequence = 1, ActorKind = "staff", ActorId = "a", Action = "bc.d", Outcome = "success" };

        Assert.NotEqual(LedgerHash.Compute(LedgerHash.Genesis, first), LedgerHash.Compute(LedgerHash.Genesis, second));
    }
}
