using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HeadlessLoyalty.Api.Stores.Pos;

/// <summary>
/// Shopify POS UI extension session tokens as a second bearer scheme: a JWT signed HS256 with the app's client secret,
/// <c>aud</c> = the app's API key, <c>dest</c> = the shop (<c>https://{shop}</c>), <c>iss</c> = <c>{dest}/admin</c>, living
/// about a minute. The shop names its connection (Shopify, not disconnected, with an API key): a valid token becomes the
/// <c>pos</c> role of that connection's program (subject <c>shopify-pos:{sub}@{shop}</c>). A bad signature, audience,
/// issuer or lifetime, or a shop with no such connection, fails authentication: the request is refused with 401
/// INVALID_TOKEN like any other bad bearer token. Tokens without <c>dest</c> go to the app's own JWT bearer scheme.
/// </summary>
public sealed class ShopifyPosSessionTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    LoyaltyDbContext db, StoreSecrets secrets, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ShopifyPos";
    public const string SelectorScheme = "LoyaltyBearer";
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(10);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { } token)
            return AuthenticateResult.NoResult();
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(token) || handler.ReadJsonWebToken(token) is not { } jwt || !jwt.TryGetPayloadValue<string>("dest", out var dest) || string.IsNullOrEmpty(dest))
            return AuthenticateResult.Fail("Not a POS session token.");
        string url;
        try
        {
            url = StoreUrls.Normalize(dest, allowLoopbackHttp: true);
        }
        catch (Exception e) when (e is StoreUrlInvalidException or UriFormatException or ArgumentException)
        {
            return AuthenticateResult.Fail("The session token's dest is not a shop URL.");
        }
        // A shop may be connected by several programs (each its own app): the token's audience and signature pick one.
        var candidates = await db.StoreConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Platform == StorePlatform.Shopify && c.Url == url && c.Status != StoreConnectionStatus.Disconnected && c.ProtectedCredentials != null)
            .Select(c => new { c.Id, c.ProgramId, c.ProtectedCredentials }).ToListAsync(Context.RequestAborted);
        foreach (var candidate in candidates)
        {
            var credentials = secrets.UnprotectCredentials(candidate.ProtectedCredentials!);
            // Shopify client secrets are 32+ bytes; a shorter one cannot be an HS256 key (the library refuses it).
            if (string.IsNullOrEmpty(credentials.ApiKey) || credentials.ClientSecret is not { } secret || Encoding.UTF8.GetByteCount(secret) < 32)
                continue;
            var result = await handler.ValidateTokenAsync(token, Parameters(dest, credentials.ApiKey, secret));
            if (!result.IsValid)
                continue;
            var slug = await db.Programs.AsNoTracking().Where(p => p.Id == candidate.ProgramId).Select(p => p.Slug).FirstAsync(Context.RequestAborted);
            var user = jwt.TryGetPayloadValue<string>("sub", out var sub) ? sub : "unknown";
            var identity = new ClaimsIdentity(
            [
                new(LoyaltyClaims.Subject, $"shopify-pos:{user}@{new Uri(url).Authority}"),
                new(LoyaltyClaims.Program, slug),
                new(LoyaltyClaims.Role, Roles.Pos),
                new(LoyaltyClaims.StoreConnection, candidate.Id.ToString("D")),
            ], SchemeName, LoyaltyClaims.Subject, LoyaltyClaims.Role);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }
        return AuthenticateResult.Fail("The POS session token is not signed for a connected shop's app, or it expired.");
    }

    private TokenValidationParameters Parameters(string dest, string apiKey, string clientSecret) => new()
    {
        ValidAudience = apiKey,
        ValidIssuer = $"{dest.TrimEnd('/')}/admin",
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(clientSecret)),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        ClockSkew = Skew,
        // Judged on the app's clock (tests move it), like the app's own tokens.
        LifetimeValidator = (notBefore, expires, _, p) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore.Value <= now + p.ClockSkew) && expires is not null && expires.Value >= now - p.ClockSkew;
        },
    };

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    /// <summary>A bearer token whose payload has <c>dest</c> is a Shopify POS session token; anything else goes to the app's JWT scheme.</summary>
    internal static string SelectScheme(HttpContext http)
    {
        if (BearerToken(http.Request) is { } token)
        {
            var handler = new JsonWebTokenHandler();
            try
            {
                if (handler.CanReadToken(token) && handler.ReadJsonWebToken(token).TryGetPayloadValue<string>("dest", out var dest) && !string.IsNullOrEmpty(dest))
                    return SchemeName;
            }
            catch (SecurityTokenMalformedException)
            {
                // Malformed: the JWT scheme refuses it.
            }
        }
        return JwtBearerDefaults.AuthenticationScheme;
    }
}

public static class ShopifyPosSessionTokenExtensions
{
    /// <summary>
    /// The app's bearer authentication becomes a selector: Shopify POS session tokens (with <c>dest</c>) go to
    /// <see cref="ShopifyPosSessionTokenHandler"/>, every other token to the JWT bearer scheme of <see cref="AuthExtensions"/>.
    /// </summary>
    public static WebApplicationBuilder AddShopifyPosSessionTokens(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ShopifyPosSessionTokenHandler>(ShopifyPosSessionTokenHandler.SchemeName, _ => { })
            .AddPolicyScheme(ShopifyPosSessionTokenHandler.SelectorScheme, "App or Shopify POS bearer token", o => o.ForwardDefaultSelector = ShopifyPosSessionTokenHandler.SelectScheme);
        builder.Services.Configure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = ShopifyPosSessionTokenHandler.SelectorScheme;
            o.DefaultAuthenticateScheme = ShopifyPosSessionTokenHandler.SelectorScheme;
            o.DefaultChallengeScheme = ShopifyPosSessionTokenHandler.SelectorScheme;
        });
        return builder;
    }
}
