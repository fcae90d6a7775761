using Guichet.Queueing.Domain;
using Guichet.Queueing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guichet.Queueing.Demo;

/// <summary>
/// Seeds "Demo Branch" for <c>serve --demo</c>: open all day in the machine's time zone, three
/// services and three counters. Runs again harmlessly: it does nothing if the branch exists.
/// </summary>
internal sealed partial class DemoSeeder(QueueingDbContext db, TimeProvider time, ILogger<DemoSeeder> logger)
{
    public const string BranchName = "Demo Branch";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.Branches.AnyAsync(b => b.Name == BranchName, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var branch = new Branch
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = BranchName,
            TimeZoneId = LocalZoneId(),
            OpeningHours = WeeklyHours.Always,
            CreatedAt = now,
        };
        var deposits = Service(branch, "Deposits", "A", 1, phone: false);
        var loans = Service(branch, "Loans", "B", 2, phone: true);
        var enquiries = Service(branch, "Enquiries", "C", 3, phone: false);
        db.Branches.Add(branch);
        db.Services.AddRange(deposits, loans, enquiries);
        db.Counters.AddRange(
            Counter(branch, "Window 1", 1, deposits, enquiries),
            Counter(branch, "Window 2", 2, deposits, loans),
            Counter(branch, "Window 3", 3, loans, enquiries));
        await db.SaveChangesAsync(cancellationToken);
        LogSeeded(logger, branch.Id);
    }

    private static string LocalZoneId()
    {
        var local = TimeZoneInfo.Local;
        return TimeZoneInfo.TryConvertWindowsIdToIanaId(local.Id, out var iana) ? iana : local.Id;
    }

    private Service Service(Branch branch, string name, string prefix, int order, bool phone) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        BranchId = branch.Id,
        Name = name,
        BusinessType = name,
        Prefix = prefix,
        DailyCap = 999,
        WaitingWarningLevel = 10,
        DefaultServiceMinutes = 5,
        CollectsPhone = phone,
        PhonePurpose = phone ? "tell you when your turn is near" : null,
        DisplayOrder = order,
    };

    private Counter Counter(Branch branch, string name, int window, params Service[] services) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        BranchId = branch.Id,
        Name = name,
        WindowNumber = window,
        Services = [.. services.Select(s => new CounterService { ServiceId = s.Id })],
    };

    [LoggerMessage(1201, LogLevel.Information, "Seeded the demo branch {BranchId}")]
    private static partial void LogSeeded(ILogger logger, Guid branchId);
}
