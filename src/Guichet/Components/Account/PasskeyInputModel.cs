namespace Guichet.Components.Account;

public sealed class PasskeyInputModel
{
    public string? CredentialJson { get; set; }
    public string? Error { get; set; }
}
