namespace Guichet.Privacy.Protection;

/// <summary>Where a new data subject (a customer met for the first time) gets their pseudonymous id.</summary>
public interface IDataSubjects
{
    /// <summary>
    /// A new subject id whose own key is already durable in the key ring, so protecting the
    /// subject's first values (<c>KeyScope.Subject(id)</c>) waits for no key-ring write.
    /// </summary>
    ValueTask<string> NewAsync(CancellationToken cancellationToken = default);
}
