using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Privacy.Tests.Indexing;

public class BlindIndexSearchTests
{
    [Fact]
    public async Task Customer_is_found_by_full_phone_in_any_format_and_by_last_four_without_decrypting()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var protector = host.Get<IPersonalDataProtector>();
        await using var data = new TestDataContext(temp.Combine("guichet.db"));
        await data.Database.EnsureCreatedAsync();
        var phones = new[] { "13800138000", "13900139000", "13700137000", "13800130000" };
        for (var i = 0; i < phones.Length; i++)
        {
            var stored = await protector.ProtectPhoneAsync(phones[i], new FieldRef("customer", "phone", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), KeyScope.Subject($"s{i}"));
            data.Customers.Add(new TestCustomer { Id = i + 1, SubjectId = $"s{i}", Phone = stored.Ciphertext, PhoneIndex = stored.FullIndex, PhoneLastFour = stored.LastFourIndex });
        }

        await data.SaveChangesAsync();

        var full = await protector.PhoneIndexAsync("+86 139-0013-9000", "customer", "phone");
        var byFull = await data.Customers.Where(c => c.PhoneIndex == full).Select(c => c.Id).ToListAsync();
        var lastFour = await protector.PhoneLastFourIndexAsync("0000", "customer", "phone");
        var byLastFour = await data.Customers.Where(c => c.PhoneLastFour == lastFour).Select(c => c.Id).OrderBy(id => id).ToListAsync();

        Assert.Equal([2], byFull);
        Assert.Equal([4], byLastFour);
        Assert.Equal(8, full.Length);
        Assert.Equal(4, lastFour.Length);
    }

    [Fact]
    public async Task Index_keys_are_per_field_and_survive_data_key_rotation()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var protector = host.Get<IPersonalDataProtector>();
        var before = await protector.PhoneIndexAsync("13800138000", "ticket", "phone");

        Assert.NotEqual(before, await protector.PhoneIndexAsync("13800138000", "customer", "phone"));
        Assert.NotEqual(before, await protector.PhoneIndexAsync("13800138000", "ticket", "callback-phone"));

        await protector.ProtectPhoneAsync("13800138000", new FieldRef("ticket", "phone", "1"), KeyScope.Subject("s1"));
        await host.Get<Privacy.Rotation.KeyRotation>().RotateAsync(null, CancellationToken.None);
        Assert.Equal(before, await protector.PhoneIndexAsync("13800138000", "ticket", "phone"));
    }
}
