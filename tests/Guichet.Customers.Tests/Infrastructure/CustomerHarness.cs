using System.Security.Claims;
using Guichet.Customers.Directory;
using Guichet.Privacy;
using Guichet.Privacy.Access;
using Guichet.Privacy.Auditing;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Crypto;
using Guichet.Privacy.Protection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Customers.Tests.Infrastructure;

/// <summary>The customer module and the real privacy kernel over a fresh data directory, with a recording audit trail and a counting protector.</summary>
internal sealed class CustomerHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private CustomerHarness(ServiceProvider provider, string dataDirectory)
    {
        this.provider = provider;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "guichet.db");

    public IServiceProvider Services => provider;

    public RecordingAuditTrail Audit => provider.GetRequiredService<RecordingAuditTrail>();

    public CountingProtector Protector => provider.GetRequiredService<CountingProtector>();

    public static async Task<CustomerHarness> StartAsync(string? dataDirectory = null, string? databasePath = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "guichet-customer-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dataDirectory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Guichet"] = $"Data Source={databasePath ?? Path.Combine(dataDirectory, "guichet.db")}",
            ["Guichet:DataDirectory"] = dataDirectory,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<RecordingAuditTrail>();
        services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<RecordingAuditTrail>());
        services.AddPrivacy(configuration);
        services.AddCustomers(configuration);
        // Every mask and decryption the directory asks for passes through here and is counted.
        var kernel = services.Single(d => d.ServiceType == typeof(IPersonalDataProtector));
        services.Remove(kernel);
        services.AddSingleton(sp => new CountingProtector((IPersonalDataProtector)kernel.ImplementationFactory!(sp)));
        services.AddSingleton<IPersonalDataProtector>(sp => sp.GetRequiredService<CountingProtector>());
        var built = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await PrivacyModule.MigrateAsync(built, CancellationToken.None);
        await CustomersModule.MigrateAsync(built, CancellationToken.None);
        return new CustomerHarness(built, dataDirectory);
    }

    public static Caller Staff(StaffRole role, params string[] branches) =>
        Caller.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(GuichetClaimTypes.ActorKind, "staff"),
                new Claim(GuichetClaimTypes.ActorId, $"{role}-1"),
                new Claim(ClaimTypes.Role, role.ToString()),
                .. branches.Select(b => new Claim(GuichetClaimTypes.Branch, b)),
            ],
            "test")));

    public async Task<T> InScopeAsync<T>(Func<CustomerDirectory, Task<T>> action)
    {
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<CustomerDirectory>());
    }

    public async ValueTask DisposeAsync() => await provider.DisposeAsync();
}

/// <summary>Accepts every event and keeps it; can be told to fail (the ledger is down).</summary>
internal sealed class RecordingAuditTrail : IAuditTrail
{
    private readonly List<AuditEvent> events = [];

    public bool Fail { get; set; }

    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }

    public ValueTask<long> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        if (Fail)
        {
            throw new AuditUnavailableException("Test: the ledger is down.");
        }

        lock (events)
        {
            events.Add(auditEvent);
            return ValueTask.FromResult((long)events.Count);
        }
    }
}

/// <summary>The kernel's protector, counting each value it decrypts (masks), per row id.</summary>
internal sealed class CountingProtector(IPersonalDataProtector inner) : IPersonalDataProtector
{
    private readonly List<string> decrypted = [];

    public IReadOnlyList<string> DecryptedRows
    {
        get
        {
            lock (decrypted)
            {
                return [.. decrypted];
            }
        }
    }

    public void Reset()
    {
        lock (decrypted)
        {
            decrypted.Clear();
        }
    }

    public ValueTask<MaskedField> MaskAsync(PersonalDataCategory category, ReadOnlyMemory<byte> ciphertext, FieldRef field, StaffRole role, CancellationToken cancellationToken = default)
    {
        lock (decrypted)
        {
            decrypted.Add(field.RowId);
        }

        return inner.MaskAsync(category, ciphertext, field, role, cancellationToken);
    }

    public ValueTask<ProtectedPhone> ProtectPhoneAsync(string phone, FieldRef field, Privacy.Keys.KeyScope key, CancellationToken cancellationToken = default) =>
        inner.ProtectPhoneAsync(phone, field, key, cancellationToken);

    public ValueTask<ProtectedValue> ProtectAsync(PersonalDataCategory category, string value, FieldRef field, Privacy.Keys.KeyScope key, CancellationToken cancellationToken = default) =>
        inner.ProtectAsync(category, value, field, key, cancellationToken);

    public ValueTask<byte[]> PhoneIndexAsync(string phone, string entity, string field, CancellationToken cancellationToken = default) =>
        inner.PhoneIndexAsync(phone, entity, field, cancellationToken);

    public ValueTask<byte[]> PhoneLastFourIndexAsync(string lastFourDigits, string entity, string field, CancellationToken cancellationToken = default) =>
        inner.PhoneLastFourIndexAsync(lastFourDigits, entity, field, cancellationToken);

    public ValueTask<byte[]> IndexAsync(PersonalDataCategory category, string value, string entity, string field, CancellationToken cancellationToken = default) =>
        inner.IndexAsync(category, value, entity, field, cancellationToken);
}
