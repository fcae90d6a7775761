using System.Security.Cryptography;
using System.Text;
using Guichet.Identity.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Guichet.Identity.SignIn;

/// <summary>
/// Identity's EF store with two secrets kept better at rest: recovery codes are stored as
/// SHA-256 hashes (they are shown once and only ever compared), and the authenticator key is
/// encrypted with Data Protection (it must be read back to check codes).
/// </summary>
internal sealed class GuichetUserStore(GuichetIdentityDbContext context, IDataProtectionProvider dataProtection, IdentityErrorDescriber? describer = null)
    : UserStore<GuichetUser, IdentityRole, GuichetIdentityDbContext>(context, describer)
{
    private readonly IDataProtector authenticatorKeys = dataProtection.CreateProtector("Guichet.Identity.AuthenticatorKey.v1");

    public override Task ReplaceCodesAsync(GuichetUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken = default) =>
        base.ReplaceCodesAsync(user, recoveryCodes.Select(HashCode), cancellationToken);

    public override Task<bool> RedeemCodeAsync(GuichetUser user, string code, CancellationToken cancellationToken = default) =>
        base.RedeemCodeAsync(user, HashCode(code), cancellationToken);

    public override Task SetAuthenticatorKeyAsync(GuichetUser user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, authenticatorKeys.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(GuichetUser user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        return string.IsNullOrEmpty(stored) ? stored : authenticatorKeys.Unprotect(stored);
    }

    private static string HashCode(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())));
}
