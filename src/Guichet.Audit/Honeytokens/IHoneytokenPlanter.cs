using System.Security.Cryptography;

namespace Guichet.Audit.Honeytokens;

/// <summary>
/// Creates realistic fake customers that no legitimate work touches. The host implements it
/// with the privacy kernel and the queue (real, encrypted customer records with test-range
/// phone numbers); the audit module only keeps their ids and watches for any touch.
/// </summary>
public interface IHoneytokenPlanter
{
    /// <returns>The customer resource ids (as they appear in audit events) of the planted records.</returns>
    Task<IReadOnlyList<string>> PlantAsync(int count, CancellationToken cancellationToken);
}

/// <summary>
/// Until the host provides a planter: reserves unguessable customer ids without records, so
/// the registry and the alarm work and the host can later create records under these ids.
/// </summary>
internal sealed class ReservedIdHoneytokenPlanter : IHoneytokenPlanter
{
    public Task<IReadOnlyList<string>> PlantAsync(int count, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ids = [.. Enumerable.Range(0, count).Select(_ => "cus-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)))];
        return Task.FromResult(ids);
    }
}
