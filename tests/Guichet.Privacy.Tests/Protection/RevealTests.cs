using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Privacy.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Privacy.Tests.Protection;

public class RevealTests
{
    private static readonly AuditActor Agent = new(AuditActorKind.Staff, "agent-7");
    private static readonly FieldRef Field = new("ticket", "phone", "42");

    [Fact]
    public async Task Allowed_reveal_is_recorded_before_the_value_is_returned()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var stored = await ProtectAsync(host);

        var result = await host.Get<IRevealService>().RevealAsync(Request(stored, StaffRole.ServiceAgent, "call back about the appointment") with { BranchId = "branch-1" });

        Assert.Equal(RevealStatus.Revealed, result.Status);
        Assert.Equal("+8613800138000", result.Value);
        var entry = Assert.Single(host.Audit.Events);
        Assert.Equal(1001, result.AuditSequence);
        Assert.Equal(("personal-data.reveal", AuditOutcome.Success, "ticket.phone", "42", "call back about the appointment", "branch-1"),
            (entry.Action, entry.Outcome, entry.ResourceType, entry.ResourceId, entry.Purpose, entry.BranchId));
        Assert.Equal(Agent, entry.Actor);
        Assert.DoesNotContain("8000", entry.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("8000", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_audit_no_plaintext()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var stored = await ProtectAsync(host);
        host.Audit.Fail = true;

        var result = await host.Get<IRevealService>().RevealAsync(Request(stored, StaffRole.ServiceAgent, "call back"));

        Assert.Equal(RevealStatus.AuditUnavailable, result.Status);
        Assert.Null(result.Value);
        Assert.Null(result.AuditSequence);
    }

    [Fact]
    public async Task Fails_closed_when_no_audit_trail_is_registered()
    {
        using var temp = new TempDirectory();
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Guichet:DataDirectory"] = temp.Path }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddPrivacy(config);
        await using var provider = services.BuildServiceProvider();
        await PrivacyModule.PrepareStorageAsync(provider, CancellationToken.None);
        var protector = provider.GetRequiredService<IPersonalDataProtector>();
        var reveal = provider.GetRequiredService<IRevealService>();
        var stored = await protector.ProtectPhoneAsync("13800138000", Field, KeyScope.Subject("customer-1"));

        var result = await reveal.RevealAsync(Request(stored, StaffRole.PrivacyOfficer, "access request"));

        Assert.Equal(RevealStatus.AuditUnavailable, result.Status);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData(StaffRole.CounterStaff)]
    [InlineData(StaffRole.Administrator)]
    [InlineData(StaffRole.Operator)]
    [InlineData(StaffRole.SecurityAuditor)]
    [InlineData(StaffRole.BranchManager)]
    public async Task Roles_without_reveal_are_denied_and_the_attempt_is_recorded(StaffRole role)
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var stored = await ProtectAsync(host);

        var result = await host.Get<IRevealService>().RevealAsync(Request(stored, role, "curious"));

        Assert.Equal(RevealStatus.Denied, result.Status);
        Assert.Null(result.Value);
        Assert.Equal(AuditOutcome.Denied, Assert.Single(host.Audit.Events).Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_purpose_is_required(string purpose)
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var stored = await ProtectAsync(host);

        var result = await host.Get<IRevealService>().RevealAsync(Request(stored, StaffRole.ServiceAgent, purpose));

        Assert.Equal(RevealStatus.PurposeRequired, result.Status);
        Assert.Null(result.Value);
        Assert.Empty(host.Audit.Events);
    }

    [Fact]
    public async Task Tampered_value_is_unreadable_and_logged_as_a_security_event_without_the_value()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var stored = await ProtectAsync(host);
        var tampered = (byte[])stored.Ciphertext.Clone();
        tampered[^1] ^= 0x80;

        var reveal = await host.Get<IRevealService>().RevealAsync(Request(stored with { Ciphertext = tampered }, StaffRole.ServiceAgent, "call back"));
        var moved = await host.Get<IPersonalDataProtector>().MaskAsync(PersonalDataCategory.Phone, stored.Ciphertext, Field with { RowId = "43" }, StaffRole.CounterStaff);
        var garbage = await host.Get<IPersonalDataProtector>().MaskAsync(PersonalDataCategory.Phone, new byte[] { 1, 2, 3 }, Field, StaffRole.CounterStaff);

        Assert.Equal(RevealStatus.Unreadable, reveal.Status);
        Assert.Null(reveal.Value);
        Assert.Equal(FieldView.Unreadable, moved.View);
        Assert.Equal(FieldView.Unreadable, garbage.View);
        var events = host.Logs.GetSnapshot().Where(r => r.Id.Id == 3006).ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.DoesNotContain("8000", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Masks_follow_the_role_policy()
    {
        using var temp = new TempDirectory();
        await using var host = await PrivacyTestHost.StartAsync(temp.Path);
        var stored = await ProtectAsync(host);
        var protector = host.Get<IPersonalDataProtector>();

        Assert.Equal(new MaskedField(FieldView.Masked, "138****8000"), await protector.MaskAsync(PersonalDataCategory.Phone, stored.Ciphertext, Field, StaffRole.CounterStaff));
        Assert.Equal(MaskedField.Hidden, await protector.MaskAsync(PersonalDataCategory.Phone, stored.Ciphertext, Field, StaffRole.Administrator));
    }

    private static async Task<ProtectedPhone> ProtectAsync(PrivacyTestHost host) =>
        await host.Get<IPersonalDataProtector>().ProtectPhoneAsync("138 0013 8000", Field, KeyScope.Subject("customer-1"));

    private static RevealRequest Request(ProtectedPhone stored, StaffRole role, string purpose) =>
        new(Agent, role, PersonalDataCategory.Phone, Field, stored.Ciphertext, purpose);
}
