namespace Guichet.Queueing.Live;

/// <summary>
/// How a live stream paces its renders: changes that concern the stream itself (its ticket,
/// its counter) are rendered at once; other changes in the branch are gathered and rendered
/// at most once per <paramref name="OthersAtMostEvery"/>.
/// </summary>
internal sealed record LivePacing(Func<QueueChange, bool> IsOwn, TimeSpan OthersAtMostEvery);
