using Guichet.Privacy.Protection;

namespace Guichet.PassThroughHost;

/// <summary>New data subjects without a key ring: just a fresh id, as a system with no per-customer key would use.</summary>
internal sealed class PassThroughSubjects : IDataSubjects
{
    public ValueTask<string> NewAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Guid.CreateVersion7().ToString("N"));
}
