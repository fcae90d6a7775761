namespace Guichet.Queueing.Configuration;

/// <summary>A branch as configured: body of POST and PUT <c>/api/v1/configuration/branches</c>.</summary>
/// <param name="Name">Shown on the kiosk and the display board (1–100 characters).</param>
/// <param name="TimeZone">IANA time zone id, e.g. <c>Asia/Shanghai</c>.</param>
/// <param name="OpeningHours">Weekly hours like <c>mon=08:30-17:00;tue=08:30-17:00</c>; omitted: open all day, every day.</param>
/// <param name="ShowMaskedNameOnDisplay">Whether the display board shows the masked name staff gave for a ticket; omitted: off.</param>
public sealed record BranchInput(string? Name, string? TimeZone, string? OpeningHours = null, bool? ShowMaskedNameOnDisplay = null);

/// <summary>A service as configured: body of POST <c>…/branches/{id}/services</c> and PUT <c>…/services/{id}</c>.</summary>
public sealed record ServiceInput(
    string? Name,
    string? BusinessType,
    string? Prefix,
    int? DailyCap,
    int? WaitingWarningLevel,
    int? DefaultServiceMinutes = null,
    string? ServiceHours = null,
    bool? CollectsPhone = null,
    string? PhonePurpose = null,
    bool? CollectsIdNumber = null,
    string? IdNumberPurpose = null);

/// <summary>A counter as configured: body of POST <c>…/branches/{id}/counters</c> and PUT <c>…/counters/{id}</c>.</summary>
public sealed record CounterInput(string? Name, int? WindowNumber, IReadOnlyList<Guid>? ServiceIds);

public sealed record BranchSettings(
    Guid Id,
    string Name,
    string TimeZone,
    string OpeningHours,
    bool ShowMaskedNameOnDisplay,
    IReadOnlyList<ServiceSettings> Services,
    IReadOnlyList<CounterSettings> Counters);

public sealed record ServiceSettings(
    Guid Id,
    Guid BranchId,
    string Name,
    string BusinessType,
    string Prefix,
    int DailyCap,
    int WaitingWarningLevel,
    int DefaultServiceMinutes,
    string? ServiceHours,
    bool CollectsPhone,
    string? PhonePurpose,
    bool CollectsIdNumber,
    string? IdNumberPurpose);

public sealed record CounterSettings(Guid Id, Guid BranchId, string Name, int WindowNumber, IReadOnlyList<Guid> ServiceIds);

public enum ConfigurationStatus
{
    Ok,

    /// <summary>No such record in the caller's scope (out-of-scope records are not found either).</summary>
    NotFound,

    /// <summary>The input is not valid; <see cref="ConfigurationResult{T}.Errors"/> says why, per field.</summary>
    Invalid,

    /// <summary>The audit ledger could not record the change, so it was not made; <see cref="ConfigurationResult{T}.Errors"/> says so.</summary>
    Unavailable,
}

/// <summary>The outcome of a configuration change: the saved settings, or why nothing changed.</summary>
public sealed record ConfigurationResult<T>(ConfigurationStatus Status, T? Value, IReadOnlyDictionary<string, string[]>? Errors)
{
    internal static ConfigurationResult<T> Ok(T value) => new(ConfigurationStatus.Ok, value, null);

    internal static ConfigurationResult<T> NotFound() => new(ConfigurationStatus.NotFound, default, null);

    internal static ConfigurationResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(ConfigurationStatus.Invalid, default, errors);

    internal static ConfigurationResult<T> Unavailable() =>
        new(ConfigurationStatus.Unavailable, default, new Dictionary<string, string[]> { ["ledger"] = [LedgerDown] });

    /// <summary>Why an <see cref="ConfigurationStatus.Unavailable"/> change was not made.</summary>
    internal const string LedgerDown = "The audit ledger could not record this change, so it was not made. Try again shortly.";

    /// <summary>The first error, for a page's one-line message.</summary>
    public string? FirstError => Errors?.Values.SelectMany(e => e).FirstOrDefault();
}
