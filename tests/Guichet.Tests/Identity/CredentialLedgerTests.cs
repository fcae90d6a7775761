using Guichet.Identity.ApiKeys;
using Guichet.Identity.Data;
using Guichet.Identity.Devices;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Tests.Identity;

/// <summary>A credential (API key, device) and its ledger entry are written in one transaction (P5).</summary>
public sealed class CredentialLedgerTests
{
    [Fact]
    public async Task When_the_ledger_cannot_write_no_api_key_or_device_code_is_made_and_the_next_attempt_is_recorded()
    {
        await using var server = await GuichetServer.StartAsync();
        await DatabaseFile.QueryAsync(server, "CREATE TRIGGER test_refuse_entries BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'ledger unavailable'); END");

        await Assert.ThrowsAsync<AuditUnavailableException>(() => WithScopeAsync(server, s =>
            s.GetRequiredService<ApiKeyRegistry>().CreateAsync("test-refused", StaffRole.CounterStaff, "branch-a", null, AuditActor.System)));
        await Assert.ThrowsAsync<AuditUnavailableException>(() => WithScopeAsync(server, s =>
            s.GetRequiredService<DeviceRegistry>().CreateEnrolmentCodeAsync("branch-a", DeviceKind.Kiosk, "Test kiosk refused", AuditActor.System)));
        var keysWhileRefused = await DatabaseFile.QueryAsync(server, "SELECT Name FROM GuichetApiKeys WHERE Name = 'test-refused'");
        var codesWhileRefused = await DatabaseFile.QueryAsync(server, "SELECT Name FROM GuichetDeviceEnrolmentCodes WHERE Name = 'Test kiosk refused'");
        await DatabaseFile.QueryAsync(server, "DROP TRIGGER test_refuse_entries");
        var key = await WithScopeAsync(server, s =>
            s.GetRequiredService<ApiKeyRegistry>().CreateAsync("test-accepted", StaffRole.CounterStaff, "branch-a", null, AuditActor.System));
        var revoked = await WithScopeAsync(server, s => s.GetRequiredService<ApiKeyRegistry>().RevokeAsync(key.Id, AuditActor.System));

        Assert.Empty(keysWhileRefused);
        Assert.Empty(codesWhileRefused);
        Assert.True(revoked);
        Assert.Equal(
            [$"apikey.create:{key.Id}", $"apikey.revoke:{key.Id}"],
            await DatabaseFile.QueryAsync(server, "SELECT action || ':' || resource_id FROM audit_entries WHERE action LIKE 'apikey.%' ORDER BY sequence"));
    }

    private static async Task<T> WithScopeAsync<T>(GuichetServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }
}
