using System.Text;
using Guichet.Privacy;
using Guichet.Queueing.Calling;
using Guichet.Queueing.Configuration;
using Guichet.Queueing.Domain;
using Guichet.Queueing.Live;
using Guichet.Queueing.Storage;
using Guichet.Queueing.Tests.Configuration;
using Guichet.Queueing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Queueing.Tests.Calling;

public sealed class CustomerNameTests
{
    private static async Task<(QueueHarness Hall, HallLayout Layout)> StartAsync(bool showMaskedNames)
    {
        var hall = await QueueHarness.StartAsync();
        await PrivacyModule.MigrateAsync(hall.Services, CancellationToken.None);
        var layout = await hall.SeedHallAsync();
        await hall.InScopeAsync(s => s.GetRequiredService<QueueingDbContext>().Branches
            .Where(b => b.Id == layout.BranchId).ExecuteUpdateAsync(set => set.SetProperty(b => b.ShowMaskedNames, showMaskedNames)));
        return (hall, layout);
    }

    private static Task<Outcome<TicketIssuedView>> IssueAsync(QueueHarness hall, HallLayout layout, string? name) =>
        hall.InScopeAsync(s => s.GetRequiredService<TicketDesk>().IssueForStaffAsync(
            QueueHarness.Staff, layout.BranchId, layout.ServiceA, null, CancellationToken.None, name));

    [Theory]
    [InlineData("Test Person", "T. P*****")]
    [InlineData("张三", "张*")]
    [InlineData("欧阳测试", "欧阳**")]
    public async Task With_the_setting_on_the_board_and_the_counter_show_the_kernels_mask_and_the_row_holds_only_ciphertext(string name, string mask)
    {
        var (hall, layout) = await StartAsync(showMaskedNames: true);
        await using var _ = hall;
        using var subscription = new ChangeInbox(hall.Services.GetRequiredService<IQueueEvents>(), layout.BranchId);
        var issued = await IssueAsync(hall, layout, name);

        var state = await hall.CallNextAsync(layout.CounterA);
        var display = await hall.InScopeAsync(s => s.GetRequiredService<TicketDesk>().DisplayAsync(layout.BranchId, CancellationToken.None));
        QueueChange? call = null;
        while (subscription.Changes.TryRead(out var change))
        {
            call = change.Call is null ? call : change;
        }

        var live = await hall.InScopeAsync(s => s.GetRequiredService<TicketDesk>().DisplayCallAsync(layout.BranchId, call!.TicketId, call.Call!, CancellationToken.None));
        var ticket = await hall.TicketAsync(issued.Value!.TicketId);

        Assert.Equal(mask, Assert.Single(display!.RecentCalls).MaskedName);
        Assert.Equal(mask, live.MaskedName);
        Assert.Equal(mask, state.Value!.CurrentTicket!.MaskedName);
        Assert.Null(state.Value.CurrentTicket.MaskedPhone);
        Assert.NotNull(ticket.CustomerName);
        Assert.NotNull(ticket.CustomerSubjectId);
        Assert.True(ticket.CustomerName!.AsSpan().IndexOf(Encoding.UTF8.GetBytes(name)) < 0);
        Assert.True(ticket.CustomerName.Length > Encoding.UTF8.GetByteCount(name) + 16);
    }

    [Fact]
    public async Task The_counter_answer_masks_the_current_tickets_name_and_phone_and_lists_what_it_suspended()
    {
        var (hall, layout) = await StartAsync(showMaskedNames: false);
        await using var _ = hall;
        await hall.InScopeAsync(s => s.GetRequiredService<QueueingDbContext>().Services
            .Where(x => x.Id == layout.ServiceA).ExecuteUpdateAsync(x => x.SetProperty(v => v.CollectsPhone, true)));
        var first = await hall.InScopeAsync(s => s.GetRequiredService<TicketDesk>().IssueAsync(
            new TicketRequest(layout.BranchId, layout.ServiceA, TicketChannel.Kiosk, Phone: "+86 138 0000 0042", CustomerName: "Test Person"),
            CancellationToken.None));
        var second = await hall.IssueOkAsync(layout.BranchId, layout.ServiceA);

        await hall.CallNextAsync(layout.CounterA);
        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.SuspendAsync(a, id, CancellationToken.None));
        var state = await hall.CallNextAsync(layout.CounterA);
        await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.SuspendAsync(a, id, CancellationToken.None));
        var resumed = await hall.AtCounterAsync(layout.CounterA, (d, a, id) => d.ResumeTicketAsync(a, id, first.Value!.TicketId, CancellationToken.None));

        Assert.Equal(second.TicketId, state.Value!.CurrentTicket!.TicketId);
        Assert.Null(state.Value.CurrentTicket.MaskedPhone);
        Assert.Equal(first.Value!.TicketId, Assert.Single(state.Value.Suspended).TicketId);
        Assert.Equal(first.Value.Number, state.Value.Suspended[0].Number);
        var current = resumed.Value!.CurrentTicket!;
        Assert.Equal(first.Value.TicketId, current.TicketId);
        Assert.Equal(TicketStatus.Called, current.Status);
        Assert.Equal("T. P*****", current.MaskedName);
        Assert.Equal("138****0042", current.MaskedPhone);
        Assert.Equal(second.TicketId, Assert.Single(resumed.Value.Suspended).TicketId);
    }

    [Fact]
    public async Task With_the_setting_off_the_board_shows_no_name_but_the_counter_still_sees_masked_basics()
    {
        var (hall, layout) = await StartAsync(showMaskedNames: false);
        await using var _ = hall;
        await IssueAsync(hall, layout, "Test Person");

        var state = await hall.CallNextAsync(layout.CounterA);
        var display = await hall.InScopeAsync(s => s.GetRequiredService<TicketDesk>().DisplayAsync(layout.BranchId, CancellationToken.None));

        Assert.Null(Assert.Single(display!.RecentCalls).MaskedName);
        Assert.Equal("T. P*****", state.Value!.CurrentTicket!.MaskedName);
    }

    [Fact]
    public async Task Turning_the_setting_on_through_configuration_shows_names_from_the_next_read()
    {
        var (hall, layout) = await StartAsync(showMaskedNames: false);
        await using var _ = hall;
        await IssueAsync(hall, layout, "Test Person");
        await hall.CallNextAsync(layout.CounterA);
        var admin = BranchConfigurationTests.Caller("admin-test-2");

        var updated = await hall.InScopeAsync(s => s.GetRequiredService<IBranchConfiguration>().UpdateBranchAsync(
            admin, layout.BranchId, new BranchInput("Test Branch", "Etc/UTC", null, true), null, CancellationToken.None));
        var display = await hall.InScopeAsync(s => s.GetRequiredService<TicketDesk>().DisplayAsync(layout.BranchId, CancellationToken.None));

        Assert.Equal(ConfigurationStatus.Ok, updated.Status);
        Assert.Equal("T. P*****", Assert.Single(display!.RecentCalls).MaskedName);
    }

    [Fact]
    public async Task A_ticket_without_a_name_stores_no_personal_data()
    {
        var (hall, layout) = await StartAsync(showMaskedNames: true);
        await using var _ = hall;

        var issued = await IssueAsync(hall, layout, null);
        var ticket = await hall.TicketAsync(issued.Value!.TicketId);

        Assert.Null(ticket.CustomerName);
        Assert.Null(ticket.CustomerSubjectId);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("Test\nPerson")]
    public void Blank_or_control_character_names_are_refused_without_repeating_them(string name)
    {
        var error = TicketCustomerNames.Validate(name);

        Assert.NotNull(error);
        Assert.DoesNotContain("Test", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_longer_than_the_bound_are_refused() =>
        Assert.NotNull(TicketCustomerNames.Validate(new string('x', TicketCustomerNames.MaxLength + 1)));
}
