using System.Net;
using System.Security.Claims;
using System.Text;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Events.Live;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Stores.Pos;

/// <summary>Shopify POS session tokens (HS256 with the app client secret, aud = API key, dest = shop) as a second bearer scheme, on SQLite and PostgreSQL.</summary>
public sealed class ShopifyPosSessionTokenTests
{
    private const string ApiKey = "pos-app-api-key-123";

    private static async Task<StoreTestApp> StartAsync(string provider)
    {
        var t = await StoreTestApp.StartAsync(provider);
        // A real app client secret's shape and length (HS256 keys are at least 256 bits).
        t.Shopify.ClientSecret = "shpss_0123456789abcdef0123456789abcdef";
        t.Tick();
        var connected = await t.Admin.MutateInputAsync(StoreTestApp.Connect, "connectStore", new
        {
            platform = "SHOPIFY", url = t.Shopify.Url, credentials = new { accessToken = t.Shopify.AccessToken, clientSecret = t.Shopify.ClientSecret, apiKey = ApiKey },
        });
        Assert.Empty(UserErrorsOf(connected));
        await t.App.EnrollAsync(t.Slug, "till@example.com", "Till", "Customer");
        return t;
    }

    /// <summary>What Shopify POS hands a UI extension: a one-minute JWT signed with the app's client secret.</summary>
    private static string SessionToken(StoreTestApp t, string? secret = null, string audience = ApiKey, string? dest = null, DateTimeOffset? issuedAt = null)
    {
        var shop = dest ?? t.Shopify.Url;
        var at = (issuedAt ?? t.App.Clock.GetUtcNow()).UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"{shop}/admin",
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "1001"), new Claim("dest", shop), new Claim("sid", "session-1")]),
            IssuedAt = at,
            NotBefore = at,
            Expires = at.AddMinutes(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret ?? t.Shopify.ClientSecret)), SecurityAlgorithms.HmacSha256),
        });
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_valid_session_token_is_the_pos_role_of_the_shops_program(string provider)
    {
        await using var t = await StartAsync(provider);
        using var client = t.App.CreateClient(SessionToken(t));

        using var found = await client.PostGraphQLAsync("{ posCustomers(search: \"till@example.com\") { email } }");
        Assert.Equal(HttpStatusCode.OK, found.Status);
        Assert.False(found.HasErrors, found.ToString());
        Assert.Equal(["till@example.com"], found.Data.GetProperty("posCustomers").EnumerateArray().Select(m => m.GetProperty("email").GetString()));

        // The pos role only: admin fields are forbidden.
        using var admin = await client.PostGraphQLAsync("{ storeConnections { id } }");
        Assert.Equal(HttpStatusCode.Forbidden, admin.Status);
        Assert.Contains("FORBIDDEN", admin.ErrorCodes);

        // The app's own tokens still work alongside.
        using var own = t.App.CreateClient(t.App.MintToken(t.Slug, Roles.Pos));
        using var ownResult = await own.PostGraphQLAsync("{ posCustomers(search: \"till@example.com\") { email } }");
        Assert.Equal(HttpStatusCode.OK, ownResult.Status);
    }

    /// <summary>
    /// A POS session token belongs to its shop's till: redeemAtPos without a connection redeems at that store (so a paused
    /// store refuses and the redemption is in its audit log), and naming another store is FORBIDDEN.
    /// </summary>
    [Theory, SqliteData, PostgresData]
    public async Task A_session_redeems_at_its_own_store_only(string provider)
    {
        await using var t = await StartAsync(provider);
        var shopId = (await t.Admin.FieldAsync("{ storeConnections { id platform } }", "storeConnections")).EnumerateArray()
            .Single(c => c.GetProperty("platform").GetString() == "SHOPIFY").GetProperty("id").GetString()!;
        var wooId = (await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var member = (await t.App.WithTenantAsync(t.Slug, db => db.Members.AsNoTracking().SingleAsync(m => m.Email == "till@example.com"))).Id;
        await t.App.AdjustAsync(t.Slug, member, 2_000);
        using var till = t.App.CreateClient(SessionToken(t));
        const string redeem = "mutation($input: RedeemAtPosInput!) { redeemAtPos(input: $input) { points userErrors { code field } } }";
        Task<System.Text.Json.JsonElement> Redeem(string key, string? connectionId = null) => till.FieldAsync(redeem, "redeemAtPos",
            new { input = new { member = new { email = "till@example.com" }, points = 1_000, connectionId, transactionReference = $"sale-{key}", idempotencyKey = key } });

        Assert.Equal(["FORBIDDEN:connectionId"], UserErrorsOf(await Redeem("other", wooId)));
        await t.StoreMutationAsync("pauseStore", shopId);
        Assert.Equal(["STORE_PAUSED:"], UserErrorsOf(await Redeem("paused")));
        await t.StoreMutationAsync("resumeStore", shopId);
        Assert.Empty(UserErrorsOf(await Redeem("ok")));

        Assert.Equal(1_000, await t.ApprovedAsync(member));
        Assert.Single(await t.AuditAsync(shopId), a => a.Action == HeadlessLoyalty.Api.Stores.StoreAuditActions.RedeemedAtPos);
        Assert.DoesNotContain(await t.AuditAsync(wooId), a => a.Action == HeadlessLoyalty.Api.Stores.StoreAuditActions.RedeemedAtPos);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_session_token_in_a_websocket_connection_init_is_the_pos_role_too(string provider)
    {
        await using var t = await StartAsync(provider);
        using var pos = await t.App.ConnectAsync(SessionToken(t));

        await pos.SubscribeAsync("1", new { }, "{ posCustomers(search: \"till@example.com\") { email } }");
        var found = await pos.ReceiveAsync();
        Assert.Equal("till@example.com", found!["payload"]!["data"]!["posCustomers"]![0]!["email"]!.GetValue<string>());
        await pos.ReceiveAsync(); // complete

        // A bad one is refused like on HTTP: the socket closes with 4403 INVALID_TOKEN.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => t.App.ConnectAsync(SessionToken(t, secret: "another-apps-client-secret-000000")));
        Assert.Contains("INVALID_TOKEN", refused.Message);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Wrong_signature_audience_shop_or_an_expired_token_is_refused_with_invalid_token(string provider)
    {
        await using var t = await StartAsync(provider);

        async Task Refused(string token, string why)
        {
            using var client = t.App.CreateClient(token);
            using var result = await client.PostGraphQLAsync("{ posCustomers(search: \"till@example.com\") { email } }");
            Assert.True(result.Status == HttpStatusCode.Unauthorized, $"{why}: {result}");
            Assert.Equal(["INVALID_TOKEN"], result.ErrorCodes);
        }

        await Refused(SessionToken(t, secret: "another-apps-client-secret-000000"), "signature");
        await Refused(SessionToken(t, audience: "another-api-key"), "audience");
        await Refused(SessionToken(t, dest: "https://unknown-shop.myshopify.com"), "unknown shop");
        await Refused(SessionToken(t, issuedAt: t.App.Clock.GetUtcNow().AddMinutes(-2)), "expired");
        var token = SessionToken(t);
        await Refused(token[..^2] + (token[^1] == 'A' ? "BB" : "AA"), "tampered");
    }
}
