using Guichet.Privacy.Classification;
using Guichet.Privacy.Indexing;

namespace Guichet.Privacy.Tests.Indexing;

public class NormalizationTests
{
    [Theory]
    [InlineData("13800138000", "CN", "+8613800138000")]
    [InlineData("138 0013 8000", "CN", "+8613800138000")]
    [InlineData("138-0013-8000", "CN", "+8613800138000")]
    [InlineData("+86 138 0013 8000", "CN", "+8613800138000")]
    [InlineData("+86 138 0013 8000", "FR", "+8613800138000")]
    [InlineData("010 6552 9988", "CN", "+861065529988")]
    [InlineData("06 12 34 56 78", "FR", "+33612345678")]
    [InlineData("+33 6 12 34 56 78", "CN", "+33612345678")]
    public void Phones_normalize_to_E164(string raw, string region, string expected) =>
        Assert.Equal(expected, Phones.ToE164(raw, region));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345")]
    [InlineData("not a phone")]
    [InlineData("1380013800")]
    [InlineData("+86 999 0000 0000")]
    public void Invalid_phones_give_a_clear_error_without_the_value(string raw)
    {
        var ex = Assert.Throws<InvalidPersonalDataException>(() => Phones.ToE164(raw, "CN"));
        Assert.Equal(PersonalDataCategory.Phone, ex.Category);
        Assert.Contains("phone number", ex.Message, StringComparison.Ordinal);
        if (raw.Trim().Length > 0)
        {
            Assert.DoesNotContain(raw.Trim(), ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("11010519491231002X", "11010519491231002X")]
    [InlineData("11010519491231002x", "11010519491231002X")]
    [InlineData(" 110105 19491231 002x ", "11010519491231002X")]
    [InlineData("440301199003071230", "440301199003071230")]
    public void Resident_ids_normalize_to_18_upper_case_characters(string raw, string expected) =>
        Assert.Equal(expected, ResidentIdNumbers.Normalize(raw));

    [Theory]
    [InlineData("110105194912310021", "check character")]
    [InlineData("11010519491231002", "18 characters")]
    [InlineData("1101051949123100211", "18 characters")]
    [InlineData("1101051949123A002X", "digits")]
    [InlineData("110105194913310025", "birth date")]
    public void Invalid_resident_ids_say_what_is_wrong(string raw, string expectedMessagePart)
    {
        var ex = Assert.Throws<InvalidPersonalDataException>(() => ResidentIdNumbers.Normalize(raw));
        Assert.Equal(PersonalDataCategory.NationalId, ex.Category);
        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(raw.Trim(), ex.Message, StringComparison.Ordinal);
    }
}
