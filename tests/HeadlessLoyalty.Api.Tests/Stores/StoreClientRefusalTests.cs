using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Tests.TestSupport;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.Stores;

/// <summary>
/// Store clients refused or answered oddly, on SQLite and PostgreSQL: a Shopify token without a field's scope
/// (ACCESS_DENIED) and a body that is not JSON are typed errors, never an untyped GraphQL error, and nothing is left half done.
/// </summary>
public sealed class StoreClientRefusalTests
{
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
        Assert.Equal(7, t.Shopify.Subscriptions.Count); // still on the store: the token could not delete them
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
        Assert.Equal(7, t.Shopify.GraphQLRequests("FindWebhook")); // one look-up per topic answered "already been taken"
    }
}
