using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Stores.Shopify;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Stores.Checkout;

/// <summary>Loyalty values of linked members synced to their Shopify customer's metafields (fake Shopify), on SQLite and PostgreSQL.</summary>
public sealed class ShopifyMetafieldSyncTests
{
    private static (string, string, string) Balance(string customer) => ($"gid://shopify/Customer/{customer}", ShopifyMetafieldSync.Namespace, ShopifyMetafieldSync.BalanceKey);

    private static async Task<int> SyncAsync(CheckoutTestApp c)
    {
        await c.T.App.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        return await c.T.App.Services.GetRequiredService<ShopifyMetafieldSync>().RunOnceAsync();
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_balance_and_tier_change_reach_the_linked_customers_metafields_and_unlinked_members_are_not_sent(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        await c.T.App.AddTiersAsync(c.T.Slug, ("Bronze", 0), ("Silver", 100));
        var stranger = await c.T.App.EnrollAsync(c.T.Slug, "stranger@example.com");
        await c.T.App.AdjustAsync(c.T.Slug, stranger.Id, 50);

        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        Assert.DoesNotContain(c.T.Shopify.Metafields.Keys, k => k.OwnerId != $"gid://shopify/Customer/{CheckoutTestApp.CustomerId}");

        // Nothing new: nothing sent.
        var calls = c.T.Shopify.GraphQLRequests("metafieldsSet");
        Assert.Equal(0, await SyncAsync(c));
        Assert.Equal(calls, c.T.Shopify.GraphQLRequests("metafieldsSet"));

        // Points spent at checkout (points.redeemed), then earned (points.earned); the tier held is sent with them.
        using (var shopper = c.Storefront())
            Assert.Empty(GraphQL.GraphQLClient.UserErrorsOf(await c.ApplyAsync(shopper, 1_950, "mf-1")));
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("50", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        await c.T.App.PostAsync(c.T.Slug, new PostPointsInput(c.Member.Id, LedgerEntryKind.Earn, 120, SourceReference: "order-mf"));
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("170", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        var tier = await c.T.App.WithTenantAsync(c.T.Slug, db => (from mt in db.MemberTiers join t in db.Tiers on mt.TierId equals t.Id where mt.MemberId == c.Member.Id select t.Name).FirstOrDefaultAsync());
        var tierKey = ($"gid://shopify/Customer/{CheckoutTestApp.CustomerId}", ShopifyMetafieldSync.Namespace, ShopifyMetafieldSync.TierKey);
        Assert.NotNull(tier);
        Assert.Equal(tier, c.T.Shopify.Metafields.GetValueOrDefault(tierKey));
        var cursor = await c.T.App.WithTenantAsync(c.T.Slug, db => db.EventConsumers.AsNoTracking().SingleAsync(x => x.Name == ShopifyMetafieldSync.ConsumerName(c.Connection)));
        Assert.Equal(await c.T.App.WithTenantAsync(c.T.Slug, db => EventLog.HeadAsync(db)), cursor.Position);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Throttled_calls_are_retried_and_a_pass_that_still_fails_keeps_the_cursor_for_the_next(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);

        c.T.Shopify.ThrottleNext(2);
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal(3, c.T.Shopify.GraphQLRequests("metafieldsSet"));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);

        await c.T.App.PostAsync(c.T.Slug, new PostPointsInput(c.Member.Id, LedgerEntryKind.Earn, 100, SourceReference: "order-1"));
        c.T.Shopify.ThrottleNext(4); // the first try and the client's three retries
        Assert.Equal(0, await SyncAsync(c));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);

        Assert.Equal(7, c.T.Shopify.GraphQLRequests("metafieldsSet"));
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("2100", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
    }
}
