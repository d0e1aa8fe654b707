using System.Globalization;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Stores.Shopify;
using HeadlessLoyalty.Api.Tests.Stores.Fakes;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static HeadlessLoyalty.Api.Tests.Stores.Ingest.StoreIngestHarness;

namespace HeadlessLoyalty.Api.Tests.Stores.Ingest;

/// <summary>
/// The store-reconciliation job against the fake WooCommerce and Shopify servers: orders the webhooks missed are
/// back-filled through the same inbox and idempotency; missing or disabled webhooks are repaired.
/// </summary>
public sealed class StoreReconciliationTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Stores:AllowLoopbackHttp"] = "true", // the fake stores are on loopback, which the store HttpClient refuses by default
        ["Stores:PublicBaseUrl"] = "http://127.0.0.1:9", // the discard port: the fake's pings go nowhere
        ["Stores:AllowLoopbackHttp"] = "true", // the fake stores listen on 127.0.0.1
        ["Stores:RetryDelay"] = "00:00:00.020",
        ["Stores:MaxRetryDelay"] = "00:00:00.500",
    };

    private static string Gmt(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static async Task<int> RunJobAsync(StoreIngestHarness h)
    {
        var program = await h.Db(db => db.Programs.AsNoTracking().Select(p => p.Id).SingleAsync());
        var run = await h.App.Services.GetRequiredService<JobRunner>().RunForProgramAsync(LoyaltyJobs.StoreReconciliation, program, JobTrigger.Manual);
        Assert.True(run.Error is null, run.Error);
        return run.Processed;
    }

    /// <summary>The harness's own connections name unreachable stores: out of the way (a disconnected connection is not reconciled).</summary>
    private static async Task DisconnectTheHarnessStoresAsync(StoreIngestHarness h)
    {
        await h.SetStatusAsync(h.Woo, StoreConnectionStatus.Disconnected);
        await h.SetStatusAsync(h.Shop, StoreConnectionStatus.Paused);
    }

    [Theory, SqliteData, PostgresData]
    public async Task WooCommerce_orders_missed_by_the_webhooks_are_back_filled_once_and_a_disabled_webhook_is_re_enabled(string provider)
    {
        await using var h = await StartAsync(provider, settings: Settings);
        await DisconnectTheHarnessStoresAsync(h);
        await using var store = await FakeWooCommerce.StartAsync();
        var options = h.App.Services.GetRequiredService<IOptions<StoresOptions>>().Value;
        var connectedAt = h.App.Clock.GetUtcNow();
        var connection = await h.AddConnectionAsync(StorePlatform.WooCommerce, store.Url, WooSecret,
            credentials: new StoreCredentials(FakeWooCommerce.DefaultKey, FakeWooCommerce.DefaultSecret, null, null), webhookIds: "1");
        // Seven deliveries fail (our endpoint is down: the delivery URL is on the discard port) and WooCommerce disables our webhook.
        var hook = store.Webhooks[1] = new FakeWooWebhook(1, "HeadlessLoyalty orders", "order.updated", options.DeliveryUrl(StorePlatform.WooCommerce, connection), WooSecret);
        for (var id = 1; id <= FakeWooWebhook.MaxFailures; id++)
        {
            Assert.Equal("active", hook.Status);
            Assert.Equal(0, (await store.SendSignedAsync(hook, WooOrder(id, "processing", $"c{id % 7}@example.com", total: "10.00"))).Status); // no answer
        }
        Assert.Equal("disabled", hook.Status);

        // 130 orders changed while the webhook was down (more than one page), one before the connection, and one the webhook did deliver.
        for (var id = 1; id <= 130; id++)
        {
            var order = (JsonObject)JsonNode.Parse(WooOrder(id, "completed", $"c{id % 7}@example.com", total: "10.00"))!;
            order["date_modified_gmt"] = Gmt(connectedAt.AddMinutes(id));
            store.Orders[id] = order;
        }
        var old = (JsonObject)JsonNode.Parse(WooOrder(500, "completed", "old@example.com"))!;
        old["date_modified_gmt"] = Gmt(connectedAt.AddDays(-3));
        store.Orders[500] = old;
        await h.PostWooAsync(connection, WooOrder(1, "completed", "c1@example.com", total: "10.00"));

        h.App.Clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal(129 + 1, await RunJobAsync(h)); // 129 orders queued (order 1's state was received), 1 webhook re-enabled
        Assert.Equal("active", store.Webhooks[1].Status);
        Assert.Contains(store.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("page=2", StringComparison.Ordinal));
        Assert.Contains(store.Requests, r => r.Method == "PUT" && r.PathAndQuery.EndsWith("/webhooks/1", StringComparison.Ordinal));

        await h.ProcessAsync();
        Assert.Equal(130, await h.Db(db => db.Purchases.CountAsync()));
        Assert.Equal(0, await h.Db(db => db.Purchases.CountAsync(p => p.OrderReference == "500")));
        var deliveries = await h.DeliveriesAsync(connection);
        Assert.Equal(129, deliveries.Count(d => d.Source == StoreDeliverySources.Reconciliation && d.Status == StoreDeliveryStatus.Processed));
        var state = await h.Db(db => db.StoreReconciliationStates.AsNoTracking().SingleAsync());
        Assert.Equal(connectedAt.AddMinutes(130), state.OrdersModifiedThrough);

        // The next run finds nothing new (the overlap re-reads the last orders; their keys are taken).
        h.App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await RunJobAsync(h));
        // A refund made on the store since: back-filled and reversed through the same path.
        var refunded = (JsonObject)JsonNode.Parse(WooOrder(130, "refunded", "c4@example.com", total: "10.00", refunds: [(77, "-10.00")]))!;
        refunded["date_modified_gmt"] = Gmt(connectedAt.AddHours(5));
        store.Orders[130] = refunded;
        // And our webhook was deleted on the store.
        store.Webhooks.Clear();
        Assert.Equal(2, await RunJobAsync(h));
        await store.PingsSentAsync();
        var recreated = Assert.Single(store.Webhooks.Values);
        Assert.Equal((options.DeliveryUrl(StorePlatform.WooCommerce, connection), WooSecret, "order.updated"), (recreated.DeliveryUrl, recreated.Secret, recreated.Topic));
        Assert.Equal(recreated.Id.ToString(CultureInfo.InvariantCulture),
            (await h.Db(db => db.StoreConnections.AsNoTracking().SingleAsync(c => c.Id == connection))).WebhookIds);
        await h.ProcessAsync();
        Assert.Equal(10m, (await h.Db(db => db.Purchases.AsNoTracking().SingleAsync(p => p.OrderReference == "130"))).RefundedAmount);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Shopify_paid_orders_are_back_filled_and_missing_subscriptions_re_created_and_a_failing_store_is_recorded(string provider)
    {
        await using var h = await StartAsync(provider, settings: Settings);
        await DisconnectTheHarnessStoresAsync(h);
        await using var shop = await FakeShopify.StartAsync();
        var options = h.App.Services.GetRequiredService<IOptions<StoresOptions>>().Value;
        var connectedAt = h.App.Clock.GetUtcNow();
        var connection = await h.AddConnectionAsync(StorePlatform.Shopify, shop.Url, shop.ClientSecret,
            credentials: new StoreCredentials(null, null, shop.AccessToken, shop.ClientSecret));
        var url = options.DeliveryUrl(StorePlatform.Shopify, connection);
        // Our endpoint was down (the delivery URL is on the discard port) while the store sent events on every topic but
        // orders/paid: Shopify retried each delivery, then deleted those subscriptions after persistent failure.
        var n = 0;
        foreach (var topic in ShopifyClient.WebhookTopics)
            shop.Subscriptions[$"gid://shopify/WebhookSubscription/{++n}"] = new FakeShopifySubscription($"gid://shopify/WebhookSubscription/{n}", topic, url);
        shop.RetryFailedDeliveries = true;
        foreach (var topic in ShopifyClient.WebhookTopics.Where(t => t != "ORDERS_PAID"))
            for (var e = 0; e < shop.FailedEventsBeforeDelete; e++)
                Assert.All(await shop.SendWebhookAsync(FakeShopify.HeaderTopic(topic), new JsonObject { ["id"] = 1 }), r => Assert.Equal(0, r.Status));
        Assert.Equal(["ORDERS_PAID"], shop.Subscriptions.Values.Select(s => s.Topic));
        Assert.Equal((ShopifyClient.WebhookTopics.Count - 1) * shop.FailedEventsBeforeDelete * (1 + FakeShopify.DeliveryRetries), shop.Sent.Count);
        for (var i = 1; i <= 60; i++)
        {
            shop.Orders[$"{i}"] = new JsonObject
            {
                ["legacyResourceId"] = $"{5000 + i}", ["email"] = i % 10 == 0 ? null : $"s{i % 3}@example.com",
                ["updatedAt"] = connectedAt.AddMinutes(i).ToString("o"), ["createdAt"] = connectedAt.AddMinutes(i).ToString("o"), ["processedAt"] = connectedAt.AddMinutes(i).ToString("o"),
                ["displayFinancialStatus"] = i % 20 == 0 ? "PENDING" : "PAID", ["displayFulfillmentStatus"] = "UNFULFILLED", ["currencyCode"] = "USD",
                ["totalPriceSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = "5.00", ["currencyCode"] = "USD" } }, ["subtotalPriceSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = "5.00", ["currencyCode"] = "USD" } },
                ["customer"] = null, ["discountCodes"] = new JsonArray(), ["refunds"] = new JsonArray(),
            };
        }
        h.App.Clock.Advance(TimeSpan.FromHours(2));
        // 57 paid orders queued (3 are pending), 6 missing subscriptions created.
        Assert.Equal(57 + ShopifyClient.WebhookTopics.Count - 1, await RunJobAsync(h));
        Assert.Equal(ShopifyClient.WebhookTopics.Order(), shop.Subscriptions.Values.Where(s => s.Uri == url).Select(s => s.Topic).Order());
        Assert.Equal(ShopifyClient.WebhookTopics.Count, (await h.Db(db => db.StoreConnections.AsNoTracking().SingleAsync(c => c.Id == connection))).WebhookIdList.Count);
        await h.ProcessAsync();
        // Paid orders without an email are skipped with a reason, like their webhooks.
        var deliveries = await h.DeliveriesAsync(connection);
        Assert.Equal(54, deliveries.Count(d => d.Status == StoreDeliveryStatus.Processed));
        Assert.Equal(3, deliveries.Count(d => d.Status == StoreDeliveryStatus.Skipped));
        Assert.Equal(54, await h.Db(db => db.Purchases.CountAsync()));
        Assert.Equal(0, await RunJobAsync(h));

        // A refund made while the webhooks were down (two, on order 5001: 2.00 then the rest), back-filled after the order changed.
        h.App.Clock.Advance(TimeSpan.FromHours(1));
        shop.Orders["1"]["updatedAt"] = h.App.Clock.GetUtcNow().AddMinutes(-5).ToString("o");
        shop.Orders["1"]["displayFinancialStatus"] = "REFUNDED";
        shop.Orders["1"]["refunds"] = new JsonArray(
            new JsonObject { ["legacyResourceId"] = "901", ["createdAt"] = "2026-01-15T13:00:00Z", ["note"] = "damaged", ["totalRefundedSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = "2.00", ["currencyCode"] = "USD" } } },
            new JsonObject { ["legacyResourceId"] = "902", ["createdAt"] = "2026-01-15T13:05:00Z", ["note"] = null, ["totalRefundedSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = "3.00", ["currencyCode"] = "USD" } } });
        Assert.Equal(2, await RunJobAsync(h)); // its two refunds (the order itself was queued before: its key is taken)
        await h.ProcessAsync();
        var refunded = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync(p => p.OrderReference == "5001"));
        Assert.Equal((5m, 5L), (refunded.RefundedAmount, refunded.PointsReversed));
        Assert.Equal(0, await RunJobAsync(h));

        // The store fails: recorded on the state, the run itself does not fail.
        shop.FailNext(401, times: 10);
        h.App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await RunJobAsync(h));
        var state = await h.Db(db => db.StoreReconciliationStates.AsNoTracking().SingleAsync());
        Assert.StartsWith("STORE_CREDENTIALS_INVALID", state.LastError);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_shopify_order_back_filled_as_paid_is_back_filled_again_once_fulfilled_and_completed_on_either_award_setting(string provider)
    {
        foreach (var awardOn in new[] { StoreAwardOn.CompletedOnly, StoreAwardOn.ProcessingOrCompleted })
        {
            await using var h = await StartAsync(provider, settings: Settings);
            await DisconnectTheHarnessStoresAsync(h);
            await using var shop = await FakeShopify.StartAsync();
            var connectedAt = h.App.Clock.GetUtcNow();
            var connection = await h.AddConnectionAsync(StorePlatform.Shopify, shop.Url, shop.ClientSecret, awardOn: awardOn,
                credentials: new StoreCredentials(null, null, shop.AccessToken, shop.ClientSecret));
            var url = h.App.Services.GetRequiredService<IOptions<StoresOptions>>().Value.DeliveryUrl(StorePlatform.Shopify, connection);
            foreach (var topic in ShopifyClient.WebhookTopics)
                shop.Subscriptions[$"gid://shopify/WebhookSubscription/{topic}"] = new FakeShopifySubscription($"gid://shopify/WebhookSubscription/{topic}", topic, url);
            shop.Orders["1"] = new JsonObject
            {
                ["legacyResourceId"] = "6001", ["email"] = "late@example.com",
                ["updatedAt"] = connectedAt.AddMinutes(1).ToString("o"), ["createdAt"] = connectedAt.AddMinutes(1).ToString("o"), ["processedAt"] = connectedAt.AddMinutes(1).ToString("o"),
                ["displayFinancialStatus"] = "PAID", ["displayFulfillmentStatus"] = "UNFULFILLED", ["currencyCode"] = "USD",
                ["totalPriceSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = "25.00", ["currencyCode"] = "USD" } },
                ["subtotalPriceSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = "25.00", ["currencyCode"] = "USD" } },
                ["customer"] = null, ["discountCodes"] = new JsonArray(), ["refunds"] = new JsonArray(),
            };
            h.App.Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(1, await RunJobAsync(h));
            await h.ProcessAsync();
            var paid = await h.Db(db => db.Purchases.AsNoTracking().Select(p => (PurchaseStatus?)p.Status).SingleOrDefaultAsync());
            Assert.Equal(awardOn == StoreAwardOn.CompletedOnly ? null : PurchaseStatus.Pending, paid);

            // Fulfilled while the webhooks were down: the next run back-fills the fulfilled state.
            h.App.Clock.Advance(TimeSpan.FromHours(1));
            shop.Orders["1"]["displayFulfillmentStatus"] = "FULFILLED";
            shop.Orders["1"]["updatedAt"] = h.App.Clock.GetUtcNow().AddMinutes(-5).ToString("o");
            Assert.Equal(1, await RunJobAsync(h));
            await h.ProcessAsync();
            var purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
            Assert.Equal(("6001", PurchaseStatus.Completed, 25L), (purchase.OrderReference, purchase.Status, purchase.PointsEarned));
            Assert.Equal(["orders/paid", "orders/fulfilled"], (await h.DeliveriesAsync(connection)).Select(d => d.Topic));
            Assert.Equal(0, await RunJobAsync(h));
        }
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_job_deletes_finished_receipts_older_than_the_retention_and_keeps_pending_ones(string provider)
    {
        await using var h = await StartAsync(provider, settings: Settings);
        await DisconnectTheHarnessStoresAsync(h);
        await h.SetStatusAsync(h.Woo, StoreConnectionStatus.Active);
        await h.PostWooAsync(h.Woo, WooOrder(1, "on-hold", "old@example.com"));
        await h.ProcessAsync();
        await h.PostWooAsync(h.Woo, WooOrder(2, "on-hold", "old@example.com")); // stays pending
        h.App.Clock.Advance(TimeSpan.FromDays(31));
        await h.PostWooAsync(h.Woo, WooOrder(3, "on-hold", "new@example.com"));
        await h.SetStatusAsync(h.Woo, StoreConnectionStatus.Disconnected); // not reconciled (its store is unreachable), receipts still cleaned

        Assert.Equal(1, await RunJobAsync(h));
        // The old finished receipt is gone; the old pending delivery and the recent one stay.
        Assert.Equal(["2", "3"], (await h.DeliveriesAsync(h.Woo)).Select(d => d.ResourceId));
    }
}
