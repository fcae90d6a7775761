namespace Guichet.Queueing.Live;

/// <summary>
/// Something changed in a branch's queue. Carries ids and public ticket numbers only — never
/// personal data — so it can cross process boundaries as is.
/// </summary>
/// <param name="BranchId">The branch whose queue changed.</param>
/// <param name="TicketId">The ticket that changed, if one did.</param>
/// <param name="CounterId">The counter that acted, if one did.</param>
/// <param name="Call">Set when a number was called or recalled (for display boards).</param>
public sealed record QueueChange(Guid BranchId, Guid? TicketId = null, Guid? CounterId = null, CallAnnouncement? Call = null);

/// <summary>One line of the display board: "A012, window 3".</summary>
public sealed record CallAnnouncement(string Number, int WindowNumber, string CounterName, DateTime CalledAt, bool IsRecall);
