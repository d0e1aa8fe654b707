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

    /// <summary>The authority's metadata must come over HTTPS; turn off only for a local identity provider in development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool UsesExternalAuthority => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(Audience);
}
