using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HeadlessLoyalty.Api.Tests.Auth;

/// <summary>
/// Production mode: tokens come from an OpenID Connect provider. A real HTTP server on 127.0.0.1 stands in for it,
/// serving the discovery document and its signing keys (JWKS) as providers do; the API fetches both itself.
/// </summary>
public sealed class OidcAuthorityTests : IAsyncLifetime
{
    private const string Audience = "https://loyalty.example.com";
    private readonly RsaSecurityKey _providerKey = new(RSA.Create(2048)) { KeyId = "provider-key-1" };
    private WebApplication _provider = null!;
    private string _authority = "";
    private LoyaltyApiFactory _app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _authority,
            ["jwks_uri"] = $"{_authority}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
        }));
        _provider.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_providerKey.Rsa.ExportParameters(false)) { KeyId = _providerKey.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });
        await _provider.StartAsync();
        _authority = _provider.Urls.Single();

        _app = await LoyaltyApiFactory.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Auth:Authority"] = _authority,
            ["Auth:Audience"] = Audience,
            ["Auth:RequireHttpsMetadata"] = "false",
        });
        await _app.CreateProgramAsync("oidc");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private string Token(SecurityKey key, string algorithm, string? issuer = null, string audience = Audience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? _authority,
            Audience = audience,
            Subject = new ClaimsIdentity([new("sub", "staff-7"), new("program", "oidc"), new("role", "admin")]),
            IssuedAt = _app.Clock.GetUtcNow().UtcDateTime,
            NotBefore = _app.Clock.GetUtcNow().UtcDateTime,
            Expires = _app.Clock.GetUtcNow().UtcDateTime.AddMinutes(30),
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private async Task<HttpStatusCode> Query(string token)
    {
        var response = await _app.CreateClient(token).PostAsJsonAsync("/graphql", new { query = "{ program { slug } }" });
        if (response.IsSuccessStatusCode)
            Assert.Contains("\"slug\":\"oidc\"", await response.Content.ReadAsStringAsync());
        return response.StatusCode;
    }

    [Fact]
    public async Task A_token_signed_by_the_provider_for_our_audience_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, await Query(Token(_providerKey, SecurityAlgorithms.RsaSha256)));
    }

    [Fact]
    public async Task Tokens_with_another_key_issuer_or_audience_are_refused()
    {
        var otherKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = _providerKey.KeyId };
        Assert.Equal(HttpStatusCode.Unauthorized, await Query(Token(otherKey, SecurityAlgorithms.RsaSha256)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Query(Token(_providerKey, SecurityAlgorithms.RsaSha256, issuer: "https://evil.example.com")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Query(Token(_providerKey, SecurityAlgorithms.RsaSha256, audience: "https://other.example.com")));
    }

    [Fact]
    public async Task With_an_authority_configured_locally_signed_tokens_are_refused()
    {
        var local = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(LoyaltyApiFactory.SigningKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await Query(Token(local, SecurityAlgorithms.HmacSha256, issuer: AuthOptions.LocalIssuer, audience: AuthOptions.LocalAudience)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Query(_app.MintToken("oidc", Roles.Admin)));
    }
}
