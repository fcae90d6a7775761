using Guichet.Privacy.Masking;
using Microsoft.Extensions.Compliance.Redaction;
using PhoneNumbers;

namespace Guichet.Privacy.Redaction;

/// <summary>
/// Log redaction for the same taxonomy as storage: a phone or ID number that reaches a log
/// parameter classified with <see cref="Classification.PersonalDataAttribute"/> is written as
/// its mask; every other classified value is erased (the fallback).
/// </summary>
internal abstract class MaskingRedactor : Redactor
{
    public override int GetRedactedLength(ReadOnlySpan<char> input) => Mask(input).Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        var masked = Mask(source);
        masked.CopyTo(destination);
        return masked.Length;
    }

    protected abstract string Mask(ReadOnlySpan<char> value);
}

internal sealed class PhoneMaskingRedactor : MaskingRedactor
{
    // Log input is not normalized: mask the digits as typed, never parse-and-echo.
    protected override string Mask(ReadOnlySpan<char> value)
    {
        Span<char> digits = stackalloc char[Math.Min(value.Length, 32)];
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c) && count < digits.Length)
            {
                digits[count++] = c;
            }
        }

        var compact = new string(digits[..count]);
        if (value.TrimStart().StartsWith('+'))
        {
            try
            {
                return Masks.Phone("+" + compact);
            }
            catch (NumberParseException)
            {
                // Not a number libphonenumber can split: mask the digits as they are.
            }
        }

        return Masks.Phone(compact);
    }
}

internal sealed class IdNumberMaskingRedactor : MaskingRedactor
{
    protected override string Mask(ReadOnlySpan<char> value) => Masks.IdNumber(value.Trim().ToString());
}
