using Microsoft.AspNetCore.DataProtection;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>
/// Signing secrets at rest: encrypted with ASP.NET Core Data Protection (keys in the database, see DataExtensions),
/// so a database dump alone does not reveal them; decrypted only to sign a delivery. The API shows a secret once.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Purpose = "HeadlessLoyalty.Webhooks.SigningSecret.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
