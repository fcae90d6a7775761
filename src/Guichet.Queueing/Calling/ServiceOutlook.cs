using Guichet.Queueing.Domain;

namespace Guichet.Queueing.Calling;

/// <summary>
/// What a ticket's tracker shows about its service, apart from the ticket itself: the branch
/// and service, and the two inputs of the wait estimate. The same for every ticket of the
/// service, so a live stream may share one read among all the service's trackers.
/// </summary>
internal sealed record ServiceOutlook(Branch Branch, Service Service, double MinutesPerService, int OpenCounters)
{
    /// <summary>The estimated wait, in minutes, of a ticket with this many people ahead.</summary>
    public int EstimateFor(int peopleAhead) => WaitEstimator.Estimate(peopleAhead, MinutesPerService, OpenCounters);
}
