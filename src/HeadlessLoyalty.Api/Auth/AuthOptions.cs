namespace HeadlessLoyalty.Api.Auth;

/// <summary>
/// Section <c>Auth</c>. With <see cref="Authority"/> and <see cref="Audience"/> set, tokens come from that OIDC
/// provider; otherwise the server trusts its own local key (embedded mode, and what the <c>token</c> verb signs with).
/// </summary>
public sealed class AuthOptions
{
    public const string LocalIssuer = "headlessloyalty-local";
    public const string LocalAudience = "headlessloyalty";

    public string? Authority { get; set; }
    public string? Audience { get; set; }
    /// <summary>Local HMAC key (at least 32 bytes, base64 or plain text); generated into the data folder when absent.</summary>
    public string? SigningKey { get; set; }

    public bool UsesExternalAuthority => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(Audience);
}
