using System.Globalization;
using System.Text;
using Guichet.Privacy.Indexing;
using PhoneNumbers;

namespace Guichet.Privacy.Tests.Indexing;

/// <summary>
/// The fast path for common phone inputs must give exactly libphonenumber's answer, or step
/// aside: checked against the library itself over every region's example numbers written in
/// each format, near misses of them, and many generated digit strings, valid and invalid.
/// </summary>
public class PhoneFastPathTests
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly string[] DefaultRegions = ["CN", "FR", "US", "GB", "DE", "BR", "JP", "IT", "RU", "IN", "AR", "MX"];

    [Theory]
    [InlineData("138 0013 8000", "CN")]
    [InlineData("13800138000", "CN")]
    [InlineData("138-0013-8000", "CN")]
    [InlineData("+86 138 0013 8000", "CN")]
    [InlineData("+8613800138000", "FR")]
    [InlineData("+33 6 12 34 56 78", "CN")]
    public void Common_inputs_take_the_fast_path_with_the_library_answer(string raw, string region)
    {
        Assert.True(Phones.TryToE164Fast(raw, region, out var e164));
        Assert.Equal(Reference(raw, region), e164);
    }

    [Theory]
    [InlineData("010 6552 9988", "CN")]
    [InlineData("06 12 34 56 78", "FR")]
    [InlineData("0086 138 0013 8000", "CN")]
    [InlineData("8613800138000", "CN")]
    [InlineData("1380013800", "CN")]
    [InlineData("+86 999 0000 0000", "CN")]
    [InlineData("(138) 0013 8000", "CN")]
    [InlineData("+800 1234 5678", "CN")]
    public void Inputs_the_parser_rewrites_or_rejects_are_left_to_it(string raw, string region) =>
        Assert.False(Phones.TryToE164Fast(raw, region, out _));

    [Fact]
    public void Example_numbers_of_every_region_and_type_in_every_format_agree_with_the_library()
    {
        var checkedInputs = 0;
        var fast = 0;
        foreach (var region in Util.GetSupportedRegions())
        {
            foreach (var type in Enum.GetValues<PhoneNumberType>())
            {
                var example = Util.GetExampleNumberForType(region, type);
                if (example is null)
                {
                    continue;
                }

                var e164 = Util.Format(example, PhoneNumberFormat.E164);
                foreach (var written in Variants(example, e164))
                {
                    foreach (var defaultRegion in DefaultRegions.Append(region))
                    {
                        fast += Agree(written, defaultRegion) ? 1 : 0;
                        checkedInputs++;
                    }
                }
            }
        }

        Assert.True(checkedInputs > 10_000, $"only {checkedInputs} inputs checked");
        Assert.True(fast > checkedInputs / 10, $"the fast path answered only {fast} of {checkedInputs}");
    }

    [Fact]
    public void Generated_digit_strings_agree_with_the_library()
    {
        // Fixed seed: a failure names its input and reproduces.
        var random = new SplitMix(0x6775696368657431);
        var fast = 0;
        for (var i = 0; i < 60_000; i++)
        {
            var length = 3 + (int)random.Next(15);
            var builder = new StringBuilder();
            var plus = random.Next(3) == 0;
            if (plus)
            {
                builder.Append('+');
            }

            for (var d = 0; d < length; d++)
            {
                // Mostly mobile-looking Chinese numbers, the rest anything.
                var digit = d == 0 && !plus && random.Next(2) == 0 ? 1 : (int)random.Next(10);
                builder.Append((char)('0' + digit));
                if (d > 0 && d < length - 1 && random.Next(5) == 0)
                {
                    builder.Append(random.Next(2) == 0 ? ' ' : '-');
                }
            }

            fast += Agree(builder.ToString(), DefaultRegions[(int)random.Next((uint)DefaultRegions.Length)]) ? 1 : 0;
        }

        Assert.True(fast > 100, $"the fast path answered only {fast} generated inputs");
    }

    /// <returns>Whether the fast path answered.</returns>
    private static bool Agree(string raw, string defaultRegion)
    {
        var expected = Reference(raw, defaultRegion);
        if (!Phones.TryToE164Fast(raw, defaultRegion, out var actual))
        {
            return false;
        }

        Assert.True(expected == actual, $"'{raw}' in {defaultRegion}: library {expected ?? "invalid"}, fast path {actual}");
        return true;
    }

    /// <summary>libphonenumber alone: the E.164 form of a valid number, null for anything else.</summary>
    private static string? Reference(string raw, string defaultRegion)
    {
        try
        {
            var number = Util.Parse(raw, defaultRegion);
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Variants(PhoneNumber example, string e164)
    {
        var national = Util.Format(example, PhoneNumberFormat.NATIONAL);
        var international = Util.Format(example, PhoneNumberFormat.INTERNATIONAL);
        var digits = new string([.. national.Where(char.IsAsciiDigit)]);
        var nsn = Util.GetNationalSignificantNumber(example);
        yield return e164;
        yield return international;
        yield return international.Replace(' ', '-');
        yield return national;
        yield return digits;
        yield return nsn;
        yield return example.CountryCode.ToString(CultureInfo.InvariantCulture) + nsn;

        // Near misses: one digit more, one less, the last one changed.
        yield return e164 + "5";
        yield return e164[..^1];
        yield return e164[..^1] + (e164[^1] == '9' ? '0' : (char)(e164[^1] + 1));
        yield return nsn + "5";
        yield return nsn[..^1];
    }

    /// <summary>A small deterministic generator (SplitMix64) for reproducible test inputs.</summary>
    private sealed class SplitMix(ulong state)
    {
        public uint Next(uint bound)
        {
            state += 0x9E3779B97F4A7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return (uint)((z ^ (z >> 31)) % bound);
        }
    }
}
