using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Storage;
using Guichet.Privacy.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Guichet.Privacy.Tests.Protection;

public class SubjectErasureTests
{
    private static readonly AuditActor Officer = new(AuditActorKind.Staff, "privacy-officer-1");

    [Fact]
    public async Task Erased_customer_stays_unreadable_in_an_older_copy_of_the_database_while_others_read()
    {
        using var temp = new TempDirectory();
        var database = temp.Combine("guichet.db");
        var copy = temp.Combine("guichet-copy.db");

        await using (var host = await PrivacyTestHost.StartAsync(temp.Path))
        {
            await StoreCustomerAsync(host, database, 1, "subject-a", "13800138000");
            await StoreCustomerAsync(host, database, 2, "subject-b", "13900139000");
        }

        // The "backup": a copy of the data database taken before the erasure.
        File.Copy(database, copy);

        await using (var host = await PrivacyTestHost.StartAsync(temp.Path))
        {
            await host.Get<IDataSubjectErasure>().EraseAsync("subject-a", Officer);
            Assert.Contains(host.Audit.Events, e => e.Action == "personal-data.erase" && e.ResourceId == "subject-a");
        }

        // The copy opened later with the installation's current keys.
        await using (var host = await PrivacyTestHost.StartAsync(temp.Path))
        {
            await using var old = new TestDataContext(copy);
            var customers = await old.Customers.OrderBy(c => c.Id).ToListAsync();
            var erased = await RevealAsync(host, customers[0]);
            var kept = await RevealAsync(host, customers[1]);

            Assert.Equal(RevealStatus.Erased, erased.Status);
            Assert.Null(erased.Value);
            Assert.Equal(RevealStatus.Revealed, kept.Status);
            Assert.Equal("+8613900139000", kept.Value);

            var masked = await host.Get<IPersonalDataProtector>().MaskAsync(PersonalDataCategory.Phone, customers[0].Phone, Field(customers[0]), StaffRole.CounterStaff);
            Assert.Equal(FieldView.Erased, masked.View);
        }
    }

    [Fact]
    public async Task Erased_subject_key_cannot_come_back_and_its_bytes_leave_the_key_ring_files()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var protector = host.Get<IPersonalDataProtector>();
        await protector.ProtectPhoneAsync("13800138000", new FieldRef("customer", "phone", "1"), KeyScope.Subject("subject-a"));

        byte[] wrapped;
        await using (var keyRing = host.Get<KeyStoreDatabase>().Open())
        {
            var key = await keyRing.DataKeys.SingleAsync(k => k.Scope == "subject:subject-a");
            wrapped = (await keyRing.DataKeyVersions.SingleAsync(v => v.KeyId == key.Id)).WrappedKey;
        }

        await host.Get<IDataSubjectErasure>().EraseAsync("subject-a", Officer);

        var ex = await Assert.ThrowsAsync<PersonalDataUnreadableException>(() =>
            protector.ProtectPhoneAsync("13800138000", new FieldRef("customer", "phone", "2"), KeyScope.Subject("subject-a")).AsTask());
        Assert.Equal(UnreadableReason.Erased, ex.Reason);

        foreach (var file in Directory.GetFiles(temp.Combine("keys")))
        {
            // SQLite may fold and remove its -wal file between the listing and the read; a file
            // that is gone holds nothing.
            if (!File.Exists(file))
            {
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(file);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            Assert.True(bytes.AsSpan().IndexOf(wrapped) < 0, $"{Path.GetFileName(file)} still holds the erased subject's wrapped key");
        }
    }

    [Fact]
    public async Task Erasure_does_nothing_when_the_audit_trail_is_down()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var protector = host.Get<IPersonalDataProtector>();
        var field = new FieldRef("customer", "phone", "1");
        var stored = await protector.ProtectPhoneAsync("13800138000", field, KeyScope.Subject("subject-a"));

        host.Audit.Fail = true;
        await Assert.ThrowsAsync<AuditUnavailableException>(() => host.Get<IDataSubjectErasure>().EraseAsync("subject-a", Officer));

        var masked = await protector.MaskAsync(PersonalDataCategory.Phone, stored.Ciphertext, field, StaffRole.CounterStaff);
        Assert.Equal(new MaskedField(FieldView.Masked, "138****8000"), masked);
    }

    private static async Task StoreCustomerAsync(PrivacyTestHost host, string database, int id, string subject, string phone)
    {
        var protectedPhone = await host.Get<IPersonalDataProtector>().ProtectPhoneAsync(phone, new FieldRef("customer", "phone", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), KeyScope.Subject(subject));
        await using var data = new TestDataContext(database);
        await data.Database.EnsureCreatedAsync();
        data.Customers.Add(new TestCustomer { Id = id, SubjectId = subject, Phone = protectedPhone.Ciphertext, PhoneIndex = protectedPhone.FullIndex, PhoneLastFour = protectedPhone.LastFourIndex });
        await data.SaveChangesAsync();
    }

    private static FieldRef Field(TestCustomer customer) => new("customer", "phone", customer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<RevealResult> RevealAsync(PrivacyTestHost host, TestCustomer customer) =>
        await host.Get<IRevealService>().RevealAsync(new RevealRequest(Officer, StaffRole.PrivacyOfficer, PersonalDataCategory.Phone, Field(customer), customer.Phone, "data subject access request"));
}
