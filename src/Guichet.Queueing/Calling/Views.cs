using Guichet.Queueing.Domain;

namespace Guichet.Queueing.Calling;

internal sealed record BranchView(Guid Id, string Name, string TimeZone, bool IsOpenNow);

/// <remarks><see cref="WaitingAtLeast"/>: the queue is at least <see cref="Waiting"/> long (see <see cref="WaitingCount"/>), and the estimate a floor.</remarks>
internal sealed record ServiceView(
    Guid Id, string Name, string Prefix, bool IsOpenNow, int Waiting, bool WaitingAtLeast, int EstimatedWaitMinutes, bool CollectsPhone, string? PhonePurpose);

/// <remarks><see cref="PeopleAheadAtLeast"/>: at least <see cref="PeopleAhead"/> are ahead (see <see cref="WaitingCount"/>), and the estimate a floor.</remarks>
internal sealed record TicketIssuedView(
    Guid TicketId, string Number, string ServiceName, int PeopleAhead, bool PeopleAheadAtLeast, int EstimatedWaitMinutes, string TrackerToken, string TrackerUrl, DateTime IssuedAt);

/// <summary>What the tracker link shows: never personal data.</summary>
/// <remarks><see cref="PeopleAheadAtLeast"/>: at least <see cref="PeopleAhead"/> are ahead (see <see cref="WaitingCount"/>), and the estimate a floor.</remarks>
internal sealed record TicketView(
    string Number, string ServiceName, TicketStatus Status, int PeopleAhead, bool PeopleAheadAtLeast, int EstimatedWaitMinutes, string? CounterName, int? WindowNumber);

internal sealed record DisplayView(string BranchName, bool ShowMaskedNames, IReadOnlyList<DisplayCallView> RecentCalls);

/// <summary>One line of the display board; <see cref="MaskedName"/> only where the branch shows masked names.</summary>
internal sealed record DisplayCallView(string Number, int WindowNumber, string CounterName, DateTime CalledAt, bool IsRecall, string? MaskedName);

/// <summary>The ticket a counter holds; the masked basics (name, phone) only in the counter's own state.</summary>
internal sealed record CurrentTicketView(
    Guid TicketId,
    string Number,
    string ServiceName,
    TicketStatus Status,
    TicketPriority Priority,
    DateTime? CalledAt,
    DateTime? StartedAt,
    string? MaskedName = null,
    string? MaskedPhone = null);

internal sealed record CounterSummaryView(Guid Id, string Name, int WindowNumber, IReadOnlyList<Guid> ServiceIds, bool IsPaused, CurrentTicketView? CurrentTicket);

internal sealed record SuspendedTicketView(Guid TicketId, string Number, string ServiceName);

internal sealed record WaitingTicketView(Guid TicketId, string Number, string ServiceName, TicketPriority Priority, int WaitingMinutes, DateTime ArrivedAt);

/// <summary>A service of the counter whose queue is past its warning level.</summary>
/// <param name="ServiceId">The service.</param>
/// <param name="ServiceName">Its name.</param>
/// <param name="Waiting">Waiting tickets, counted up to <see cref="CounterDesk.WarningCountBeyondLevel"/> past the level.</param>
/// <param name="WarningLevel">The service's warning level.</param>
/// <param name="AtLeast">The count stopped there: at least <paramref name="Waiting"/> are waiting.</param>
internal sealed record ServiceWarningView(Guid ServiceId, string ServiceName, int Waiting, int WarningLevel, bool AtLeast = false);

/// <summary>
/// A counter action's answer: the counter and what it holds after the action. Its waiting list and
/// warnings are in <see cref="CounterStateView"/>, which GET /counters/{id} answers and the counter's
/// live stream sends at once after each of its own actions, so a console reads them once per action.
/// </summary>
internal sealed record CounterActionView(
    Guid Id,
    string Name,
    int WindowNumber,
    bool IsPaused,
    CurrentTicketView? CurrentTicket,
    IReadOnlyList<SuspendedTicketView> Suspended);

/// <summary>A counter's whole state: what it holds, the first <see cref="CounterDesk.WaitingListLimit"/> it would call, and its services' warnings.</summary>
internal sealed record CounterStateView(
    Guid Id,
    string Name,
    int WindowNumber,
    bool IsPaused,
    CurrentTicketView? CurrentTicket,
    IReadOnlyList<SuspendedTicketView> Suspended,
    IReadOnlyList<WaitingTicketView> Waiting,
    IReadOnlyList<ServiceWarningView> Warnings);

internal enum OutcomeKind
{
    Ok,
    NotFound,
    Conflict,
    Unprocessable,

    /// <summary>The audit ledger could not record the action, so nothing was done.</summary>
    Unavailable,
}

/// <summary>The result of a queue operation: a value, or why nothing changed.</summary>
internal sealed record Outcome<T>(OutcomeKind Kind, T? Value, string? Detail)
{
    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value, null);

    public static Outcome<T> NotFound(string detail) => new(OutcomeKind.NotFound, default, detail);

    public static Outcome<T> Conflict(string detail) => new(OutcomeKind.Conflict, default, detail);

    public static Outcome<T> Unprocessable(string detail) => new(OutcomeKind.Unprocessable, default, detail);

    public static Outcome<T> Unavailable(string detail) => new(OutcomeKind.Unavailable, default, detail);
}
