using System.Security.Cryptography;
using Guichet.Privacy.Crypto;

namespace Guichet.Privacy.Tests.Crypto;

public class DataKeyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_key_encrypts_and_decrypts_from_many_threads_at_once_whether_or_not_it_keeps_cipher_instances(bool keepsInstances)
    {
        var material = RandomNumberGenerator.GetBytes(32);
        var key = new DataKey(7, 1, material.ToArray(), keepsInstances);
        var other = new DataKey(7, 1, material.ToArray());

        Parallel.For(0, 2_000, i =>
        {
            var field = new FieldRef("ticket", "phone", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var ciphertext = key.EncryptString($"+86138000{i:D5}", field);
            Assert.Equal($"+86138000{i:D5}", key.DecryptString(ciphertext, field));
            Assert.Equal($"+86138000{i:D5}", other.DecryptString(ciphertext, field));
        });
    }

    [Fact]
    public void A_disposed_key_refuses_to_encrypt()
    {
        var key = new DataKey(7, 1, RandomNumberGenerator.GetBytes(32), keepsInstances: false);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.EncryptString("+8613800000000", new FieldRef("ticket", "phone", "1")));
    }
}
