using Microsoft.Extensions.Configuration;

namespace Guichet.Privacy.Keys;

/// <summary>Where key material lives: <c>&lt;data-dir&gt;/keys</c> unless Privacy:KeyDirectory says otherwise.</summary>
internal sealed record KeyStorePaths(string KeyDirectory)
{
    public static KeyStorePaths From(IConfiguration configuration)
    {
        var configured = configuration[$"{PrivacyOptions.SectionName}:{nameof(PrivacyOptions.KeyDirectory)}"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new KeyStorePaths(Path.GetFullPath(configured));
        }

        var dataDirectory = configuration["Guichet:DataDirectory"];
        return new KeyStorePaths(Path.GetFullPath(Path.Combine(string.IsNullOrWhiteSpace(dataDirectory) ? "data" : dataDirectory, "keys")));
    }
}
