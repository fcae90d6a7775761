using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Guichet.Privacy.Crypto;

namespace Guichet.Privacy.Tests.Crypto;

public class FieldFormatTests
{
    public static TheoryData<int> Vectors() => [.. Enumerable.Range(0, LoadVectors().Count)];

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encrypt_matches_the_known_answer_vector(int index)
    {
        var v = LoadVectors()[index];
        using var aes = new AesGcm(Convert.FromHexString(v.Key), FieldFormat.TagSize);
        var ciphertext = FieldFormat.Encrypt(aes, v.KeyId, v.KeyVersion, Encoding.UTF8.GetBytes(v.Plaintext), v.Field, Convert.FromHexString(v.Nonce));
        Assert.Equal(v.Ciphertext, Convert.ToHexStringLower(ciphertext));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decrypt_reads_the_known_answer_vector_and_its_key_header(int index)
    {
        var v = LoadVectors()[index];
        var key = new DataKey(v.KeyId, v.KeyVersion, Convert.FromHexString(v.Key));
        var ciphertext = Convert.FromHexString(v.Ciphertext);

        Assert.True(FieldFormat.TryReadKey(ciphertext, out var keyId, out var version));
        Assert.Equal((v.KeyId, v.KeyVersion), (keyId, version));
        Assert.Equal(v.Plaintext, key.DecryptString(ciphertext, v.Field));
    }

    [Fact]
    public void Ciphertext_moved_to_another_row_field_or_entity_fails_its_integrity_check()
    {
        var key = NewKey();
        var home = new FieldRef("ticket", "phone", "42");
        var ciphertext = key.EncryptString("+8613800138000", home);

        foreach (var elsewhere in new[] { home with { RowId = "43" }, home with { Field = "name" }, home with { Entity = "customer" } })
        {
            var ex = Assert.Throws<PersonalDataUnreadableException>(() => key.DecryptString(ciphertext, elsewhere));
            Assert.Equal(UnreadableReason.IntegrityFailure, ex.Reason);
            Assert.DoesNotContain("138", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal("+8613800138000", key.DecryptString(ciphertext, home));
    }

    [Fact]
    public void Any_flipped_bit_is_an_integrity_error_never_garbage()
    {
        var key = NewKey();
        var field = new FieldRef("ticket", "phone", "42");
        var original = key.EncryptString("+8613800138000", field);
        // Byte 0 is the format version and bytes 1..8 name the key: those are checked before
        // decryption; every byte after the header must be authenticated.
        for (var i = FieldFormat.HeaderSize; i < original.Length; i++)
        {
            var tampered = (byte[])original.Clone();
            tampered[i] ^= 0x01;
            Assert.Throws<PersonalDataUnreadableException>(() => key.DecryptString(tampered, field));
        }
    }

    [Fact]
    public void Same_value_encrypts_differently_each_time()
    {
        var key = NewKey();
        var field = new FieldRef("ticket", "phone", "42");
        Assert.NotEqual(key.EncryptString("+8613800138000", field), key.EncryptString("+8613800138000", field));
    }

    private static DataKey NewKey() => new(5, 2, RandomNumberGenerator.GetBytes(32));

    internal static IReadOnlyList<Vector> LoadVectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KnownAnswers", "field-format-v1.json")));
        return document.RootElement.GetProperty("vectors").EnumerateArray().Select(e => new Vector(
            e.GetProperty("key").GetString()!,
            e.GetProperty("keyId").GetUInt32(),
            e.GetProperty("keyVersion").GetUInt32(),
            e.GetProperty("nonce").GetString()!,
            new FieldRef(e.GetProperty("entity").GetString()!, e.GetProperty("field").GetString()!, e.GetProperty("rowId").GetString()!),
            e.GetProperty("plaintext").GetString()!,
            e.GetProperty("ciphertext").GetString()!)).ToList();
    }

    internal sealed record Vector(string Key, uint KeyId, uint KeyVersion, string Nonce, FieldRef Field, string Plaintext, string Ciphertext);
}
