namespace Guichet.Queueing.Calling;

/// <summary>
/// A number of waiting people as the hall tells it to customers: exact below the bound
/// (<see cref="QueueingOptions.CountWaitingUpTo"/>), and "the bound or more" from there. Counting
/// stops at the bound, so a ticket, a tracker or the kiosk's list of services costs a bounded
/// read however long the queue is; nobody's plans change between a thousand people ahead and
/// fifty thousand.
/// </summary>
internal readonly record struct WaitingCount(int Value, bool AtLeast)
{
    /// <param name="counted">What was counted, each part of it up to the bound.</param>
    /// <param name="bound">Where counting stops.</param>
    public static WaitingCount Of(int counted, int bound) => counted >= bound ? new(bound, true) : new(counted, false);
}
