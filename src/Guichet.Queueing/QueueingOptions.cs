using Microsoft.Extensions.Options;

namespace Guichet.Queueing;

/// <summary>Settings of the <c>Queueing</c> configuration section.</summary>
public sealed class QueueingOptions
{
    public const string Section = "Queueing";

    /// <summary>How many of today's completed services of a service the wait estimate looks at.</summary>
    public int EstimateSampleSize { get; set; } = 20;

    /// <summary>Below this many completed services today, the service's default minutes are used.</summary>
    public int EstimateMinimumSamples { get; set; } = 3;

    /// <summary>
    /// Waiting tickets are counted up to this many for what customers are told (people ahead of a
    /// ticket, a service's queue on the kiosk); beyond it they are told "this many or more". The
    /// counting stops there, so a very deep queue costs every ticket and tracker a bounded read.
    /// </summary>
    public int CountWaitingUpTo { get; set; } = 1000;

    /// <summary>Seconds between SSE heartbeat comments (keeps proxies from closing idle streams).</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>
    /// Milliseconds between re-renders of a ticket tracker or counter console for changes that
    /// are not its own (people ahead, waiting lists); its own changes are sent at once.
    /// </summary>
    public int LiveRefreshMilliseconds { get; set; } = 1000;

    internal TimeSpan LiveRefreshInterval => TimeSpan.FromMilliseconds(LiveRefreshMilliseconds);

    /// <summary>Kiosk tickets one client address may take per minute.</summary>
    public int KioskTicketsPerMinute { get; set; } = 30;

    /// <summary>Online tickets one client address may take per hour (phones and web).</summary>
    public int OnlineTicketsPerHour { get; set; } = 10;
}

internal sealed class QueueingOptionsValidator : IValidateOptions<QueueingOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.EstimateSampleSize is < 1 or > 1000)
        {
            failures.Add("Queueing:EstimateSampleSize must be between 1 and 1000.");
        }

        if (options.EstimateMinimumSamples < 1 || options.EstimateMinimumSamples > options.EstimateSampleSize)
        {
            failures.Add("Queueing:EstimateMinimumSamples must be between 1 and EstimateSampleSize.");
        }

        if (options.CountWaitingUpTo is < 10 or > 1_000_000)
        {
            failures.Add("Queueing:CountWaitingUpTo must be between 10 and 1000000.");
        }

        if (options.LiveRefreshMilliseconds is < 0 or > 60_000)
        {
            failures.Add("Queueing:LiveRefreshMilliseconds must be between 0 and 60000.");
        }

        if (options.HeartbeatSeconds is < 1 or > 300)
        {
            failures.Add("Queueing:HeartbeatSeconds must be between 1 and 300.");
        }

        if (options.KioskTicketsPerMinute < 1 || options.OnlineTicketsPerHour < 1)
        {
            failures.Add("Queueing:KioskTicketsPerMinute and Queueing:OnlineTicketsPerHour must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
