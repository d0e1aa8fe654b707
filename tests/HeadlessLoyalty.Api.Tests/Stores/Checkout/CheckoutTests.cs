using System.Net.Http.Headers;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Stores.Checkout;

/// <summary>
/// Checkout on a connected Shopify store, on SQLite and PostgreSQL: the app proxy's signed call exchanges for a member
/// token, the snippet's query shows the balance and its worth, applyPointsAtCheckout creates the discount on the store
/// and deducts (a store failure deducts nothing), an order using it links the redemption, and an unused one expires
/// with its points returned and the discount deleted on the store.
/// </summary>
public sealed class CheckoutTests
{
    [Theory, SqliteData, PostgresData]
    public async Task A_signed_app_proxy_call_exchanges_for_a_member_token_that_reads_the_checkout(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);

        var (status, body) = await c.ProxyTokenAsync(c.ProxyQuery());

        Assert.Equal(200, status);
        Assert.Equal(MemberId(c.Member.Id), body.GetProperty("memberId").GetString());
        Assert.Equal(c.T.App.Clock.GetUtcNow().AddMinutes(15).UtcDateTime, body.GetProperty("expiresAt").GetDateTime().ToUniversalTime());
        using var shopper = c.T.App.CreateClient(body.GetProperty("token").GetString()!);
        var checkout = await shopper.FieldAsync(CheckoutTestApp.CheckoutQuery, "checkout");
        Assert.Equal(2_000, checkout.GetProperty("balance").GetInt64());
        Assert.Equal((100.00m, "EUR"), (checkout.GetProperty("worth").GetProperty("amount").GetDecimal(), checkout.GetProperty("worth").GetProperty("currency").GetString()));
        Assert.Equal((0.05m, 1_000, 2_000, 100.00m), (checkout.GetProperty("pointValue").GetDecimal(), checkout.GetProperty("minPoints").GetInt64(),
            checkout.GetProperty("maxRedeemablePoints").GetInt64(), checkout.GetProperty("maxRedeemableWorth").GetProperty("amount").GetDecimal()));

        // The token is a storefront token of that member only: staff fields stay closed.
        var staffOnly = await shopper.PostGraphQLAsync("{ storeConnections { id } }");
        Assert.Contains("FORBIDDEN", staffOnly.ErrorCodes);

        // Settings change what it is worth: a maximum caps one discount.
        await c.T.Admin.MutateInputAsync("mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { userErrors { code } } }", "updateStoreSettings",
            new { id = c.ConnectionId, settings = new { pointValue = 0.01, minRedeemPoints = 500, maxRedeemPoints = 1_500 } });
        checkout = await shopper.FieldAsync(CheckoutTestApp.CheckoutQuery, "checkout");
        Assert.Equal((20.00m, 1_500, 15.00m), (checkout.GetProperty("worth").GetProperty("amount").GetDecimal(),
            checkout.GetProperty("maxRedeemablePoints").GetInt64(), checkout.GetProperty("maxRedeemableWorth").GetProperty("amount").GetDecimal()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_app_proxy_refuses_bad_stale_unsigned_foreign_and_logged_out_calls_and_unknown_customers(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        var now = c.T.App.Clock.GetUtcNow();

        async Task<(int, string?)> Call(string query, string? connection = null)
        {
            var (status, body) = await c.ProxyTokenAsync(query, connection);
            Assert.False(body.TryGetProperty("token", out _));
            return (status, body.GetProperty("code").GetString());
        }

        Assert.Equal((401, "APP_PROXY_SIGNATURE_INVALID"), await Call(c.ProxyQuery(secret: "another-apps-secret")));
        Assert.Equal((401, "APP_PROXY_SIGNATURE_INVALID"), await Call(c.ProxyQuery(tamper: "7002")));
        Assert.Equal((401, "APP_PROXY_SIGNATURE_INVALID"), await Call(c.ProxyQuery(signed: false)));
        Assert.Equal((401, "APP_PROXY_SIGNATURE_INVALID"), await Call(c.ProxyQuery(at: now.AddSeconds(-91))));
        Assert.Equal((401, "APP_PROXY_SIGNATURE_INVALID"), await Call(c.ProxyQuery(at: now.AddSeconds(91))));
        Assert.Equal((401, "APP_PROXY_SIGNATURE_INVALID"), await Call(c.ProxyQuery(shop: "other-shop.myshopify.com")));
        Assert.Equal((401, "APP_PROXY_LOGGED_OUT"), await Call(c.ProxyQuery(customerId: "")));
        Assert.Equal((404, "STORE_CUSTOMER_UNKNOWN"), await Call(c.ProxyQuery(customerId: "9999")));
        Assert.Equal((404, "STORE_CONNECTION_NOT_FOUND"), await Call(c.ProxyQuery(), Guid.NewGuid().ToString()));
        // Within the skew it is accepted.
        Assert.Equal(200, (await c.ProxyTokenAsync(c.ProxyQuery(at: now.AddSeconds(-89)))).Status);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Applying_points_creates_a_discount_limited_to_the_customer_deducts_and_the_order_using_it_links_the_redemption(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        using var shopper = c.Storefront();

        var applied = await c.ApplyAsync(shopper, 1_200, "chk-1");
        var replay = await c.ApplyAsync(shopper, 1_200, "chk-1");

        Assert.Empty(UserErrorsOf(applied));
        var discount = applied.GetProperty("discount");
        var code = discount.GetProperty("code").GetString()!;
        Assert.StartsWith("POINTS-", code);
        Assert.Equal((1_200, 60.00m, "APPLIED"), (discount.GetProperty("points").GetInt64(), discount.GetProperty("value").GetProperty("amount").GetDecimal(), discount.GetProperty("status").GetString()));
        Assert.Equal((c.T.App.Clock.GetUtcNow() + CheckoutTestApp.DiscountLifetime).UtcDateTime, discount.GetProperty("expiresAt").GetDateTime().ToUniversalTime());
        Assert.Equal((800, 1_200), (applied.GetProperty("balance").GetProperty("approved").GetInt64(), applied.GetProperty("balance").GetProperty("spent").GetInt64()));
        Assert.Equal(code, replay.GetProperty("discount").GetProperty("code").GetString());
        var onStore = Assert.Single(c.T.Shopify.Discounts.Values);
        Assert.Equal(code, (string?)onStore["code"]);
        Assert.Equal(["gid://shopify/Customer/7001"], onStore["context"]!["customers"]!["add"]!.AsArray().Select(x => (string?)x));
        Assert.Equal(("60.00", 1), ((string?)onStore["customerGets"]!["value"]!["discountAmount"]!["amount"], (int)onStore["usageLimit"]!));
        Assert.Equal(800, await c.T.ApprovedAsync(c.Member.Id));
        var open = (await shopper.FieldAsync(CheckoutTestApp.CheckoutQuery, "checkout")).GetProperty("openDiscounts");
        Assert.Equal([code], open.EnumerateArray().Select(d => d.GetProperty("code").GetString()));

        // Below the store's minimum: refused, nothing deducted.
        var tooFew = await c.ApplyAsync(shopper, 999, "chk-2");
        Assert.Equal(["INVALID_INPUT:points"], UserErrorsOf(tooFew));

        // The order that used it (Shopify's orders/paid) links the redemption to the order; expiry then leaves it alone.
        await c.DeliverOrderAsync(5_550_001, code);
        var coupon = await c.T.App.WithTenantAsync(c.T.Slug, db => db.Coupons.AsNoTracking().SingleAsync(x => x.Code == code));
        Assert.Equal((CouponStatus.Used, "5550001"), (coupon.Status, coupon.UsedOnOrder));
        var row = await c.T.App.WithTenantAsync(c.T.Slug, db => db.CheckoutDiscounts.AsNoTracking().SingleAsync());
        Assert.Equal(coupon.Id, row.CouponId);
        Assert.Equal(coupon.RedeemEntryId, await c.T.App.WithTenantAsync(c.T.Slug, db => db.LedgerEntries.Where(e => e.SourceReference == $"checkout:{code}").Select(e => (Guid?)e.Id).SingleAsync()));
        c.T.App.Clock.Advance(CheckoutTestApp.PastReturn);
        Assert.Equal(0, await c.RunExpiryAsync());
        Assert.Equal(800, await c.T.ApprovedAsync(c.Member.Id));
        using var later = c.Storefront(); // the first token has expired meanwhile
        Assert.Empty((await later.FieldAsync(CheckoutTestApp.CheckoutQuery, "checkout")).GetProperty("openDiscounts").EnumerateArray());
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_store_failure_deducts_nothing_and_a_paused_store_refuses(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        using var shopper = c.Storefront();
        c.T.Shopify.FailNext(500, times: 4); // the first try and the three retries

        var failed = await c.ApplyAsync(shopper, 1_000, "fail-1");

        Assert.Equal(["STORE_COUPON_FAILED:"], UserErrorsOf(failed));
        Assert.Equal(2_000, await c.T.ApprovedAsync(c.Member.Id));
        Assert.Empty(c.T.Shopify.Discounts);
        Assert.Equal(0, await c.T.App.WithTenantAsync(c.T.Slug, db => db.CheckoutDiscounts.CountAsync()));
        Assert.Equal(0, await c.T.CouponCountAsync(c.Member.Id));

        await c.T.StoreMutationAsync("pauseStore", c.ConnectionId);
        var paused = await c.ApplyAsync(shopper, 1_000, "fail-2");
        Assert.Equal(["STORE_PAUSED:"], UserErrorsOf(paused));
        Assert.Equal(2_000, await c.T.ApprovedAsync(c.Member.Id));
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_unused_discount_expires_its_points_return_and_it_is_deleted_on_the_store(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        using var pos = c.T.App.CreateClient(c.T.App.MintToken(c.T.Slug, Roles.Pos));
        var applied = await c.ApplyAsync(pos, 1_000, "exp-1", member: new { email = "shopper@example.com" });
        Assert.Empty(UserErrorsOf(applied));
        var code = applied.GetProperty("discount").GetProperty("code").GetString()!;
        Assert.Single(c.T.Shopify.Discounts);

        // Ended on the store but within the grace for late order deliveries: nothing returns yet.
        c.T.App.Clock.Advance(CheckoutTestApp.DiscountLifetime + TimeSpan.FromHours(0.5));
        Assert.Equal(0, await c.RunExpiryAsync());
        Assert.Equal(1_000, await c.T.ApprovedAsync(c.Member.Id));

        c.T.App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await c.RunExpiryAsync());
        Assert.Equal(0, await c.RunExpiryAsync());

        Assert.Equal(2_000, await c.T.ApprovedAsync(c.Member.Id));
        Assert.Empty(c.T.Shopify.Discounts);
        Assert.Equal(1, c.T.Shopify.GraphQLRequests("discountCodeDelete"));
        var (row, coupon) = await c.T.App.WithTenantAsync(c.T.Slug, async db =>
            (await db.CheckoutDiscounts.AsNoTracking().SingleAsync(), await db.Coupons.AsNoTracking().SingleAsync(x => x.Code == code)));
        Assert.Equal(HeadlessLoyalty.Api.Stores.Checkout.CheckoutDiscountState.Returned, row.State);
        Assert.Equal(CouponStatus.Expired, coupon.Status);
        var back = await c.T.App.WithTenantAsync(c.T.Slug, db => db.LedgerEntries.AsNoTracking().SingleAsync(e => e.Id == row.ReturnEntryId));
        Assert.Equal((HeadlessLoyalty.Api.Points.LedgerEntryKind.Reversal, 1_000L), (back.Kind, back.Points));
        var audit = await c.T.AuditAsync(c.ConnectionId);
        Assert.Equal(StoreAuditActions.CouponDeleted, audit[^1].Action);
        Assert.Contains(code, audit[^1].Detail);

        // An order with the code after the return is not linked (the coupon is expired).
        await c.DeliverOrderAsync(5_550_002, code);
        Assert.Equal(CouponStatus.Expired, (await c.T.App.WithTenantAsync(c.T.Slug, db => db.Coupons.AsNoTracking().SingleAsync(x => x.Code == code))).Status);
        Assert.Equal(2_000, await c.T.ApprovedAsync(c.Member.Id));
    }

    [Theory, SqliteData, PostgresData]
    public async Task On_woocommerce_the_discount_is_a_fixed_cart_coupon_for_the_members_email(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        await t.ConnectWooAsync();
        var member = await t.App.EnrollAsync(t.Slug, "Woo.Shopper@Example.com", "Wo", "O");
        await t.App.AdjustAsync(t.Slug, member.Id, 1_500);
        using var shopper = t.App.CreateClient(t.App.MintToken(t.Slug, Roles.Storefront, member.Id));

        var applied = await shopper.FieldAsync(CheckoutTestApp.Apply, "applyPointsAtCheckout", new { input = new { points = 1_500, idempotencyKey = "w-1" } });

        Assert.Empty(UserErrorsOf(applied));
        var coupon = Assert.Single(t.Woo.Coupons.Values);
        Assert.Equal(("fixed_cart", "75.00", 1), ((string?)coupon["discount_type"], (string?)coupon["amount"], (int)coupon["usage_limit"]!));
        Assert.Equal(["Woo.Shopper@Example.com"], coupon["email_restrictions"]!.AsArray().Select(e => (string?)e));
        Assert.Equal(0, await t.ApprovedAsync(member.Id));
    }
}
