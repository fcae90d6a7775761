using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Guichet.Customers.Directory;
using Guichet.Customers.Domain;
using Guichet.Customers.Storage;
using Guichet.Privacy.Access;
using Guichet.Privacy.Indexing;
using Guichet.Privacy.Protection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guichet.Benchmarks.Customers;

/// <summary>
/// Find a customer by phone among N on the embedded database (issue 3: p99 under 5 ms at
/// N = 1,000,000): the blind-index search the API runs (index, one seek, the match decrypted
/// for its mask) against decrypt-and-scan (read every row, decrypt, compare), to show the ratio.
/// N from <c>GUICHET_BENCH_CUSTOMERS</c>.
/// </summary>
[MemoryDiagnoser]
public class CustomerLookupBenchmarks
{
    private static readonly Caller Agent = Caller.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(GuichetClaimTypes.ActorKind, "staff"),
            new Claim(GuichetClaimTypes.ActorId, "bench-agent"),
            new Claim(ClaimTypes.Role, nameof(StaffRole.ServiceAgent)),
            new Claim(GuichetClaimTypes.Branch, BenchCustomers.Branch),
        ],
        "bench")));

    private BenchCustomers customers = null!;
    private PersonalDataProtector protector = null!;
    private int next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        customers = await BenchCustomers.CreateAsync(BenchCustomers.CountFromEnvironment());
        protector = customers.Services.GetRequiredService<PersonalDataProtector>();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await customers.DisposeAsync();

    [Benchmark(Baseline = true, Description = "find by phone: blind index (API path, masked answer)")]
    public async Task<int> BlindIndex()
    {
        await using var scope = customers.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<CustomerDirectory>();
        var found = await directory.SearchAsync(Agent, new CustomerSearch(NextPhone(), null, null), CancellationToken.None);
        return found.Count == 1 ? 1 : throw new InvalidOperationException("the search did not find exactly one customer");
    }

    [Benchmark(Description = "find by phone: decrypt and scan every row")]
    public async Task<int> DecryptAndScan()
    {
        var wanted = Phones.ToE164(NextPhone(), "CN");
        await using var scope = customers.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDbContext>();
        var matches = 0;
        await foreach (var row in db.Customers.AsNoTracking().Select(c => new { c.Id, c.Phone }).AsAsyncEnumerable())
        {
            var phone = await protector.UnprotectAsync(row.Phone, new Guichet.Privacy.Crypto.FieldRef(Customer.Entity, Customer.PhoneField, row.Id.ToString()), CancellationToken.None);
            if (phone == wanted)
            {
                matches++;
            }
        }

        return matches == 1 ? 1 : throw new InvalidOperationException("the scan did not find exactly one customer");
    }

    private string NextPhone() => BenchCustomers.Phone(Interlocked.Increment(ref next) * 7919 % customers.Count);
}
