using System.Net;
using Guichet.Audit.Honeytokens;
using Guichet.Identity.ApiKeys;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Keys;
using Guichet.Privacy.Protection;
using Guichet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Audit;

/// <summary>
/// The ledger's responses in the real host over real sockets: reveals go through the privacy
/// kernel's reveal service into the ledger, the rules fire, and Identity carries out the freeze.
/// </summary>
public sealed class AuditResponseTests
{
    private const string FakePhone = "13800000001";

    [Fact]
    public async Task A_staff_member_who_reveals_51_phones_in_ten_minutes_is_frozen_and_their_next_request_is_refused()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, client) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(client));

        var actor = new AuditActor(AuditActorKind.Staff, staff.UserId);
        var revealed = await RevealAsync(server, actor, 50);
        Assert.Equal(50, revealed);
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(client));

        await RevealAsync(server, actor, 1);

        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(client));
        using var fresh = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await server.TrySignInAsync(fresh, staff));
    }

    [Fact]
    public async Task An_api_key_that_reveals_51_phones_is_revoked_and_its_owner_frozen()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, ownerClient) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);
        IssuedApiKey key;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            key = await scope.ServiceProvider.GetRequiredService<ApiKeyRegistry>().CreateAsync(
                "Test integration", StaffRole.ServiceAgent, TestSignIn.DefaultBranch, null, AuditActor.System, staff.UserId);
        }

        using var integration = server.CreateClient();
        integration.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(integration));

        await RevealAsync(server, new AuditActor(AuditActorKind.ApiClient, key.Id.ToString()), 51);

        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(integration));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(ownerClient));
    }

    [Fact]
    public async Task Touching_a_honeytoken_freezes_at_once()
    {
        var planter = new FixedPlanter("cus-test-honeytoken-0001");
        await using var server = await GuichetServer.StartAsync(configure: builder => builder.Services.AddSingleton<IHoneytokenPlanter>(planter));
        var exitCode = await Guichet.Audit.AuditCommands.PlantHoneytokensAsync(server.Services, 1, TextWriter.Null, CancellationToken.None);
        Assert.Equal(0, exitCode);
        var (staff, client) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);
        var trail = server.Services.GetRequiredService<IAuditTrail>();

        await trail.RecordAsync(new AuditEvent("customer.lookup", new AuditActor(AuditActorKind.Staff, staff.UserId), AuditOutcome.Success, "customer", "cus-test-ordinary-0001"));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(client));

        await trail.RecordAsync(new AuditEvent("customer.lookup", new AuditActor(AuditActorKind.Staff, staff.UserId), AuditOutcome.Success, "customer", planter.Id));

        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(client));
        var alerts = await server.Services.GetRequiredService<Guichet.Audit.Response.IAlertDesk>().ListAsync(null, 10, CancellationToken.None);
        var alert = Assert.Single(alerts);
        Assert.Equal("honeytoken", alert.Rule);
        Assert.Equal("freeze", alert.Response);
    }

    [Fact]
    public async Task When_the_ledger_cannot_write_a_reveal_returns_no_personal_data()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);
        var field = new FieldRef("ticket", "phone", "test-row-1");
        var stored = await server.Services.GetRequiredService<IPersonalDataProtector>().ProtectPhoneAsync(FakePhone, field, KeyScope.Subject("test-subject-1"));
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "guichet.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER test_refuse_entries BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'ledger unavailable'); END";
            await command.ExecuteNonQueryAsync();
        }

        var result = await server.Services.GetRequiredService<IRevealService>().RevealAsync(new RevealRequest(
            new AuditActor(AuditActorKind.Staff, staff.UserId), StaffRole.ServiceAgent, PersonalDataCategory.Phone, field, stored.Ciphertext, "call back"));

        Assert.Equal(RevealStatus.AuditUnavailable, result.Status);
        Assert.Null(result.Value);
        Assert.DoesNotContain("0000", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Personal_data_access_in_a_closed_branch_raises_an_off_hours_alert_from_the_queues_hours()
    {
        await using var server = await GuichetServer.StartAsync();
        var (staff, _) = await server.CreateSignedInAsync(StaffRole.ServiceAgent);
        string open;
        string closed;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Guichet.Queueing.Storage.QueueingDbContext>();
            var branches = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Branches);
            Assert.True(branches.Count >= 1, "The demo seeds a branch.");
            var branch = branches[0];
            branch.OpeningHours = Guichet.Queueing.Domain.WeeklyHours.Always;
            open = branch.Id.ToString();
            db.Branches.Add(new Guichet.Queueing.Domain.Branch
            {
                Id = Guid.NewGuid(),
                Name = "Test closed branch",
                TimeZoneId = "UTC",
                OpeningHours = Guichet.Queueing.Domain.WeeklyHours.Parse(""),
            });
            await db.SaveChangesAsync();
            closed = db.Branches.Local.Single(b => b.Name == "Test closed branch").Id.ToString();
        }

        var trail = server.Services.GetRequiredService<IAuditTrail>();
        var actor = new AuditActor(AuditActorKind.Staff, staff.UserId);
        await trail.RecordAsync(new AuditEvent("customer.lookup", actor, AuditOutcome.Success, "customer", "cus-test-0003", BranchId: open));
        var desk = server.Services.GetRequiredService<Guichet.Audit.Response.IAlertDesk>();
        Assert.Empty(await desk.ListAsync(null, 10, CancellationToken.None));

        await trail.RecordAsync(new AuditEvent("customer.lookup", actor, AuditOutcome.Success, "customer", "cus-test-0003", BranchId: closed));

        var alert = Assert.Single(await desk.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal("off-hours", alert.Rule);
        Assert.Equal(staff.UserId, alert.ActorId);
    }

    private static async Task<int> RevealAsync(GuichetServer server, AuditActor actor, int count)
    {
        var protector = server.Services.GetRequiredService<IPersonalDataProtector>();
        var reveals = server.Services.GetRequiredService<IRevealService>();
        var revealed = 0;
        for (var i = 0; i < count; i++)
        {
            var field = new FieldRef("ticket", "phone", $"test-row-{Guid.NewGuid():N}");
            var stored = await protector.ProtectPhoneAsync(FakePhone, field, KeyScope.Subject($"test-subject-{i}"));
            var result = await reveals.RevealAsync(new RevealRequest(actor, StaffRole.ServiceAgent, PersonalDataCategory.Phone, field, stored.Ciphertext, "call back")
            {
                BranchId = TestSignIn.DefaultBranch,
            });
            revealed += result.Status == RevealStatus.Revealed ? 1 : 0;
        }

        return revealed;
    }

    private static async Task<HttpStatusCode> WhoAmIAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/v1/whoami", UriKind.Relative));
        return response.StatusCode;
    }

    private sealed class FixedPlanter(string id) : IHoneytokenPlanter
    {
        public string Id { get; } = id;

        public Task<IReadOnlyList<string>> PlantAsync(int count, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([Id]);
    }
}
