using Guichet.Audit.Detection;
using Guichet.Audit.Response;
using Microsoft.Extensions.Options;

namespace Guichet.Audit;

/// <summary>Configuration section <c>Audit</c> (docs/audit.md lists every key and its default).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>A checkpoint is signed after at most this many entries.</summary>
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>... or when this much time has passed since the last one and entries were added.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The external checkpoint file; default <c>&lt;data-dir&gt;/audit/checkpoints.log</c>.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>Most entries committed in one transaction by the group-commit writer.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    public AuditRulesOptions Rules { get; set; } = new();

    public AlertChannelOptions Alerts { get; set; } = new();
}

internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.CheckpointEvery is < 1 or > 1_000_000)
        {
            failures.Add("Audit:CheckpointEvery must be between 1 and 1000000.");
        }

        if (options.CheckpointInterval < TimeSpan.FromSeconds(1) || options.CheckpointInterval > TimeSpan.FromDays(1))
        {
            failures.Add("Audit:CheckpointInterval must be between 00:00:01 and 1.00:00:00.");
        }

        if (string.IsNullOrWhiteSpace(options.CheckpointFile))
        {
            failures.Add("Audit:CheckpointFile must name a file (the default is <data-dir>/audit/checkpoints.log).");
        }

        if (options.MaxBatchSize is < 1 or > 100_000)
        {
            failures.Add("Audit:MaxBatchSize must be between 1 and 100000.");
        }

        options.Rules.Validate(failures);
        options.Alerts.Validate(failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
