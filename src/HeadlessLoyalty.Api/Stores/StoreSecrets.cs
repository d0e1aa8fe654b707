using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace HeadlessLoyalty.Api.Stores;

/// <summary>
/// Store credentials and webhook secrets at rest: encrypted with ASP.NET Core Data Protection (keys in the database),
/// one purpose each, decrypted only to call the store or to verify a delivery.
/// </summary>
public sealed class StoreSecrets(IDataProtectionProvider provider)
{
    public const string CredentialsPurpose = "HeadlessLoyalty.Stores.Credentials.v1";
    public const string WebhookSecretPurpose = "HeadlessLoyalty.Stores.WebhookSecret.v1";

    private readonly IDataProtector _credentials = provider.CreateProtector(CredentialsPurpose);
    private readonly IDataProtector _webhook = provider.CreateProtector(WebhookSecretPurpose);

    public string ProtectCredentials(StoreCredentials credentials) => _credentials.Protect(JsonSerializer.Serialize(credentials));

    public StoreCredentials UnprotectCredentials(string protectedCredentials) =>
        JsonSerializer.Deserialize<StoreCredentials>(_credentials.Unprotect(protectedCredentials))!;

    public string ProtectWebhookSecret(string secret) => _webhook.Protect(secret);

    public string UnprotectWebhookSecret(string protectedSecret) => _webhook.Unprotect(protectedSecret);

    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new WooCommerce webhook secret: 40 alphanumeric characters (WooCommerce mangles other characters).</summary>
    public static string NewWooCommerceSecret() => RandomNumberGenerator.GetString(Alphanumeric, 40);
}
