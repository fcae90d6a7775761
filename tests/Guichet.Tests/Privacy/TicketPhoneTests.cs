using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Protection;
using Guichet.Queueing.Storage;
using Guichet.Tests.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Privacy;

public class TicketPhoneTests
{
    [Fact]
    public async Task Kiosk_phone_is_stored_encrypted_under_one_key_per_customer_and_found_by_index()
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);

        foreach (var phone in new[] { "138 0013 8000", "+86 138-0013-8000", "139 0013 9000" })
        {
            using var created = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services["B"], channel = "kiosk", phone });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QueueingDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<IPersonalDataProtector>();
        var index = await protector.PhoneIndexAsync("13800138000", "ticket", "phone");
        var same = await db.Tickets.Where(t => t.PhoneIndex == index).ToListAsync();
        var lastFour = await protector.PhoneLastFourIndexAsync("9000", "ticket", "phone");
        var other = await db.Tickets.SingleAsync(t => t.PhoneLastFour == lastFour);

        Assert.Equal(2, same.Count);
        Assert.Single(same.Select(t => t.CustomerSubjectId).Distinct());
        Assert.NotEqual(same[0].CustomerSubjectId, other.CustomerSubjectId);
        var masked = await protector.MaskAsync(PersonalDataCategory.Phone, same[0].Phone!, new FieldRef("ticket", "phone", same[0].Id.ToString()), StaffRole.CounterStaff);
        Assert.Equal(new MaskedField(FieldView.Masked, "138****8000"), masked);
    }

    [Theory]
    [InlineData("A", "138 0013 8000", "does not take a phone number")]
    [InlineData("B", "12345", "not a valid number")]
    [InlineData("B", "not a phone", "could not be read")]
    public async Task Bad_or_unwanted_phone_gets_a_400_naming_the_problem_and_issues_nothing(string prefix, string phone, string message)
    {
        await using var server = await QueueApiHost.StartAsync();
        using var client = server.CreateClient();
        var (branchId, services) = await QueueApiHost.DemoHallAsync(client);

        using var response = await QueueApiHost.TakeTicketAsync(client, branchId, new { serviceId = services[prefix], channel = "kiosk", phone });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, problem.GetProperty("errors").GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(phone, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = server.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<QueueingDbContext>().Tickets.CountAsync());
    }

    [Fact]
    public async Task Queue_model_is_classified_and_in_the_data_register()
    {
        await using var server = await QueueApiHost.StartAsync();
        await using var scope = server.Services.CreateAsyncScope();

        PersonalDataModelCheck.AssertSound(scope.ServiceProvider.GetRequiredService<QueueingDbContext>());
        var register = Guichet.Privacy.PrivacyModule.BuildDataRegister(server.Services);
        var tickets = register.Where(e => e.Entity == "ticket").ToList();
        Assert.Equal(["CustomerName", "Phone"], tickets.Select(e => e.Field).Order(StringComparer.Ordinal));
        var phone = tickets.Single(e => e.Field == "Phone");
        Assert.Equal(("Phone", "queue_tickets", PersonalDataCategory.Phone), (phone.Field, phone.Table, phone.Category));
        Assert.Equal(["full", "last4"], phone.BlindIndexes);
        var name = tickets.Single(e => e.Field == "CustomerName");
        Assert.Equal(("queue_tickets", PersonalDataCategory.Name), (name.Table, name.Category));
        Assert.Empty(name.BlindIndexes);
    }
}
