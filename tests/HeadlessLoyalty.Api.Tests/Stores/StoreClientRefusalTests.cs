using HeadlessLoyalty.Api.Stores.Shopify;
using System.Globalization;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Stores.WooCommerce;
using HeadlessLoyalty.Api.Tests.Stores.Fakes;
using HeadlessLoyalty.Api.Tests.Stores.Ingest;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.Stores;

/// <summary>
/// Store clients refused or answered oddly, on SQLite and PostgreSQL: a Shopify token without a field's scope
/// (ACCESS_DENIED) and a body that is not JSON are typed errors, never an untyped GraphQL error, and nothing is left half done;
/// Shopify subscriptions left behind are adopted on reconnect; a WooCommerce store behind a proxy that strips
/// Authorization is reached with query-string credentials.
/// </summary>
public sealed class StoreClientRefusalTests
{
    /// <summary>Puts a completed order modified after the connection on the fake WooCommerce (no webhook sent), an hour on, and runs the reconciliation job, which must not fail.</summary>
    private static async Task ReconcileWithAMissedWooOrderAsync(StoreTestApp t, long orderId, string email)
    {
        var order = (JsonObject)JsonNode.Parse(StoreIngestHarness.WooOrder(orderId, "completed", email, total: "10.00"))!;
        order["date_modified_gmt"] = t.App.Clock.GetUtcNow().AddMinutes(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        t.Woo.Orders[orderId] = order;
        t.App.Clock.Advance(TimeSpan.FromHours(1));
        var program = await t.App.WithTenantAsync(t.Slug, async db => (await db.CurrentProgramAsync()).Id);
        var run = await t.App.Services.GetRequiredService<JobRunner>().RunForProgramAsync(LoyaltyJobs.StoreReconciliation, program, JobTrigger.Manual);
        Assert.True(run.Error is null, run.Error);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_shopify_token_without_the_discount_scope_refuses_the_redemption_typed_and_deducts_nothing(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var (member, rewardId) = await t.MemberWithRewardAsync("scope@example.com");
        await t.LinkCustomerAsync(member.Id, StoreTestApp.Raw(id), "8001");
        t.Shopify.DeniedFields["discountCodeBasicCreate"] = true; // the token lacks write_discounts

        var refused = await t.RedeemAsync(member, rewardId, "scope-1");

        Assert.Equal(["STORE_COUPON_FAILED:"], UserErrorsOf(refused));
        Assert.Contains("lacks the scope", refused.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Equal(2_000, await t.ApprovedAsync(member.Id));
        Assert.Equal(0, await t.CouponCountAsync(member.Id));
        Assert.Empty(t.Shopify.Discounts);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Disconnecting_a_shopify_store_whose_token_may_not_delete_webhooks_still_erases_the_keys(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        t.Shopify.DeniedFields["webhookSubscriptionDelete"] = true;

        var disconnected = await t.StoreMutationAsync("disconnectStore", id);

        Assert.Empty(UserErrorsOf(disconnected));
        Assert.Equal("DISCONNECTED", disconnected.GetProperty("connection").GetProperty("status").GetString());
        Assert.False(disconnected.GetProperty("connection").GetProperty("hasCredentials").GetBoolean());
        var row = await t.RowAsync(StoreTestApp.Raw(id));
        Assert.Null(row.ProtectedCredentials);
        Assert.Null(row.ProtectedWebhookSecret);
        Assert.Equal(ShopifyClient.WebhookTopics.Count, t.Shopify.Subscriptions.Count); // still on the store: the token could not delete them
        var audit = await t.AuditAsync(id);
        Assert.Equal(StoreAuditActions.Disconnected, audit[^1].Action);
        Assert.Contains("did not confirm", audit[^1].Detail);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_shopify_answer_that_is_not_json_is_a_typed_store_unreachable(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        t.Shopify.AnswerHtmlNext();

        var refused = await t.ConnectShopifyAsync();

        Assert.Equal(["STORE_UNREACHABLE:"], UserErrorsOf(refused));
        Assert.Contains("not a GraphQL response", refused.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Empty(t.Shopify.Subscriptions);
        Assert.Empty(await t.AuditAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Reconnecting_a_shopify_store_whose_old_subscriptions_were_left_behind_adopts_them(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var original = t.Shopify.Subscriptions.Keys.Order(StringComparer.Ordinal).ToList();
        t.Shopify.DeniedFields["webhookSubscriptionDelete"] = true;
        Assert.Empty(UserErrorsOf(await t.StoreMutationAsync("disconnectStore", id))); // the subscriptions stay on the store
        t.Shopify.DeniedFields.Clear();

        var reconnected = await t.ConnectShopifyAsync();

        Assert.Empty(UserErrorsOf(reconnected));
        Assert.True(reconnected.GetProperty("reconnected").GetBoolean());
        Assert.Equal("ACTIVE", reconnected.GetProperty("connection").GetProperty("status").GetString());
        Assert.Equal(original, reconnected.GetProperty("connection").GetProperty("webhookIds").EnumerateArray().Select(x => x.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(original, t.Shopify.Subscriptions.Keys.Order(StringComparer.Ordinal)); // adopted, none added
        Assert.Equal(ShopifyClient.WebhookTopics.Count, t.Shopify.GraphQLRequests("FindWebhook")); // one look-up per topic answered "already been taken"
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_woocommerce_store_behind_a_proxy_that_strips_authorization_is_connected_redeemed_on_and_reconciled_with_query_credentials(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        t.Woo.StripsAuthorization = true;

        var connected = await t.ConnectWooAsync();

        Assert.Empty(UserErrorsOf(connected));
        Assert.Equal("ACTIVE", connected.GetProperty("connection").GetProperty("status").GetString());
        Assert.Single(t.Woo.Webhooks);
        Assert.True(t.App.Services.GetRequiredService<WooCommerceClient>().UsesQueryStringAuth(t.Woo.Url));

        var (member, rewardId) = await t.MemberWithRewardAsync("proxy@example.com");
        var redeemed = await t.RedeemAsync(member, rewardId, "proxy-1");
        Assert.Empty(UserErrorsOf(redeemed));
        Assert.Single(t.Woo.Coupons);
        Assert.Equal(1_500, await t.ApprovedAsync(member.Id));

        // An order the webhook missed is back-filled by the reconciliation job.
        await ReconcileWithAMissedWooOrderAsync(t, 42, "proxy@example.com");
        var state = await t.App.WithTenantAsync(t.Slug, db => db.StoreReconciliationStates.AsNoTracking().SingleAsync());
        Assert.Null(state.LastError);
        Assert.Equal(1, state.LastOrdersQueued);
        Assert.Equal("42", Assert.Single(await t.App.WithTenantAsync(t.Slug, db => db.StoreDeliveries.AsNoTracking()
            .Where(d => d.Source == StoreDeliverySources.Reconciliation).Select(d => d.ResourceId).ToListAsync())));

        // Only the very first call went out with Basic credentials (and was refused as anonymous); every later one used the query.
        var requests = t.Woo.Requests.ToList();
        Assert.Equal(1, requests.Count(r => r.Status == 401));
        Assert.Equal(401, requests[0].Status);
        Assert.All(requests.Skip(1), r => Assert.Contains($"consumer_key={FakeWooCommerce.DefaultKey}", r.PathAndQuery));
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_unknown_woocommerce_key_is_refused_after_one_query_string_retry_and_nothing_is_remembered(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);

        var refused = await t.ConnectWooAsync(key: "ck_nobody", secret: "cs_nobody");

        Assert.Equal(["STORE_CREDENTIALS_INVALID:credentials"], UserErrorsOf(refused));
        Assert.Contains("woocommerce_rest_cannot_view", refused.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Equal(2, t.Woo.Requests.Count);
        Assert.False(t.App.Services.GetRequiredService<WooCommerceClient>().UsesQueryStringAuth(t.Woo.Url));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_shopify_token_without_the_orders_scope_fails_its_own_reconciliation_only(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var shop = StoreTestApp.Raw((await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!);
        var woo = StoreTestApp.Raw((await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!);
        t.Shopify.DeniedFields["orders"] = true; // read_orders missing

        await ReconcileWithAMissedWooOrderAsync(t, 7, "later@example.com");

        var states = await t.App.WithTenantAsync(t.Slug, db => db.StoreReconciliationStates.AsNoTracking().ToDictionaryAsync(s => s.ConnectionId));
        Assert.StartsWith("STORE_CREDENTIALS_INVALID", states[shop].LastError);
        Assert.Contains("lacks the scope", states[shop].LastError);
        Assert.Null(states[woo].LastError);
        Assert.Equal(1, states[woo].LastOrdersQueued);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_shopify_token_without_the_metafields_scope_stops_that_pass_quietly_and_the_next_one_sends(string provider)
    {
        await using var c = await Checkout.CheckoutTestApp.StartAsync(provider);
        await c.T.App.Services.GetRequiredService<HeadlessLoyalty.Api.Events.EventSequencer>().SequenceAsync();
        var sync = c.T.App.Services.GetRequiredService<HeadlessLoyalty.Api.Stores.Shopify.ShopifyMetafieldSync>();
        c.T.Shopify.DeniedFields["metafieldsSet"] = true;

        Assert.Equal(0, await sync.RunOnceAsync());
        Assert.Empty(c.T.Shopify.Metafields);

        c.T.Shopify.DeniedFields.Clear();
        Assert.Equal(1, await sync.RunOnceAsync());
        Assert.Equal("2000", c.T.Shopify.Metafields[($"gid://shopify/Customer/{Checkout.CheckoutTestApp.CustomerId}", "loyalty", "points_balance")]);
    }
}
