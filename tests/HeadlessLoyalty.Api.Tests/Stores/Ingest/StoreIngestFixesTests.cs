using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.Stores.Ingest.StoreIngestHarness;

namespace HeadlessLoyalty.Api.Tests.Stores.Ingest;

/// <summary>
/// Ingest gaps: coupons marked used on every order delivery that carries them, failed deliveries that can be replayed,
/// Shopify refunds carried by order bodies, earning on the subtotal, and receipts that keep no address once finished.
/// </summary>
public sealed class StoreIngestFixesTests
{
    private static async Task<Dictionary<string, CouponView>> CouponsAsync(StoreIngestHarness h, string email, int count)
    {
        var member = await h.Db(db => MemberOperations.EnrollAsync(db, h.App.Clock, "t", new EnrollMemberInput(email)));
        return await h.Db(async db =>
        {
            await PointsOperations.PostAsync(db, h.App.Clock, "t", new PostPointsInput(member.Member.Id, LedgerEntryKind.Earn, 500 * count));
            var reward = await RewardOperations.CreateAsync(db, h.App.Clock, new RewardDefinition("Five off", RewardKind.FixedAmountCoupon, 500, 5m));
            var coupons = new Dictionary<string, CouponView>();
            for (var i = 0; i < count; i++)
                coupons[$"c{i}"] = (await RewardOperations.RedeemAsync(db, h.App.Clock, "t", new RedeemInput(member.Member.Id, reward.Id), $"k{i}")).Coupon;
            return coupons;
        });
    }

    private static Task<CouponStatus> StatusAsync(StoreIngestHarness h, CouponView coupon) =>
        h.Db(db => db.Coupons.AsNoTracking().Where(c => c.Id == coupon.Id).Select(c => c.Status).SingleAsync());

    [Theory, SqliteData, PostgresData]
    public async Task Our_coupons_are_marked_used_on_every_order_delivery_that_carries_them_whatever_the_award_setting(string provider)
    {
        await using var h = await StartAsync(provider, awardOn: StoreAwardOn.CompletedOnly);
        var c = await CouponsAsync(h, "every@example.com", 5);

        // WooCommerce on completed only: on-hold and processing award nothing but used the coupon; a cancelled order did not.
        await h.PostWooAsync(h.Woo, WooOrder(1001, "on-hold", "every@example.com", coupons: [c["c0"].Code]));
        await h.PostWooAsync(h.Woo, WooOrder(1002, "processing", "every@example.com", coupons: [c["c1"].Code.ToLowerInvariant()]));
        await h.PostWooAsync(h.Woo, WooOrder(1003, "cancelled", "every@example.com", coupons: [c["c2"].Code]));
        // Shopify: orders/create, and orders/paid while awarding on fulfilment.
        await h.PostShopifyAsync(h.Shop, "orders/create", ShopifyOrder(2001, "every@example.com", codes: [c["c3"].Code]));
        await h.PostShopifyAsync(h.Shop, "orders/paid", ShopifyOrder(2002, "every@example.com", codes: [c["c4"].Code]));
        await h.ProcessAsync();

        Assert.Equal([CouponStatus.Used, CouponStatus.Used, CouponStatus.Issued, CouponStatus.Used, CouponStatus.Used],
            [await StatusAsync(h, c["c0"]), await StatusAsync(h, c["c1"]), await StatusAsync(h, c["c2"]), await StatusAsync(h, c["c3"]), await StatusAsync(h, c["c4"])]);
        Assert.Equal(0, await h.Db(db => db.Purchases.CountAsync()));
        var woo = await h.DeliveriesAsync(h.Woo);
        Assert.Equal([StoreDeliveryStatus.Processed, StoreDeliveryStatus.Processed, StoreDeliveryStatus.Ignored], woo.OrderBy(d => d.ResourceId).Select(d => d.Status));
        Assert.Contains("does not award points", woo.Single(d => d.ResourceId == "1001").Reason);
        Assert.Contains($"coupon {c["c0"].Code} used", woo.Single(d => d.ResourceId == "1001").Reason);
        var shop = await h.DeliveriesAsync(h.Shop);
        Assert.All(shop, d => Assert.Equal(StoreDeliveryStatus.Processed, d.Status));
        Assert.Contains($"coupon {c["c4"].Code} used", shop.Single(d => d.ResourceId == "2002").Reason);
    }

    /// <summary>WooCommerce gives a cancelled order's coupon use back: our coupon used on it is unused again (another order's stays used).</summary>
    [Theory, SqliteData, PostgresData]
    public async Task A_cancelled_woocommerce_order_gives_its_coupon_use_back(string provider)
    {
        await using var h = await StartAsync(provider, awardOn: StoreAwardOn.CompletedOnly);
        var c = await CouponsAsync(h, "cancel@example.com", 2);
        await h.PostWooAsync(h.Woo, WooOrder(3001, "on-hold", "cancel@example.com", coupons: [c["c0"].Code]));
        await h.PostWooAsync(h.Woo, WooOrder(3002, "processing", "cancel@example.com", coupons: [c["c1"].Code]));
        await h.ProcessAsync();
        Assert.Equal((CouponStatus.Used, CouponStatus.Used), (await StatusAsync(h, c["c0"]), await StatusAsync(h, c["c1"])));

        await h.PostWooAsync(h.Woo, WooOrder(3001, "cancelled", "cancel@example.com", coupons: [c["c0"].Code]));
        // A cancelled order naming a coupon another order used does not release it.
        await h.PostWooAsync(h.Woo, WooOrder(3003, "cancelled", "cancel@example.com", coupons: [c["c1"].Code]));
        await h.ProcessAsync();

        Assert.Equal((CouponStatus.Issued, CouponStatus.Used), (await StatusAsync(h, c["c0"]), await StatusAsync(h, c["c1"])));
        var receipt = (await h.DeliveriesAsync(h.Woo)).Single(d => d.ResourceId == "3001" && d.Reason!.Contains("cancelled"));
        Assert.Equal(StoreDeliveryStatus.Processed, receipt.Status);
        Assert.Contains($"coupon {c["c0"].Code} no longer used", receipt.Reason);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_failed_delivery_resent_after_the_cause_is_fixed_is_processed_and_awards_once(string provider)
    {
        await using var h = await StartAsync(provider);
        var member = await h.Db(db => MemberOperations.EnrollAsync(db, h.App.Clock, "t", new EnrollMemberInput("blocked@example.com")));
        await h.Db(db => MemberOperations.BlockAsync(db, h.App.Clock, "t", member.Member.Id));
        var woo = WooOrder(3001, "completed", "blocked@example.com", total: "50.00");
        var shop = ShopifyOrder(3002, "blocked@example.com", total: "30.00");
        await h.PostWooAsync(h.Woo, woo);
        await h.PostShopifyAsync(h.Shop, "orders/paid", shop, eventId: "evt-3002");
        await h.ProcessAsync();
        Assert.All([.. await h.DeliveriesAsync(h.Woo), .. await h.DeliveriesAsync(h.Shop)], d =>
        {
            Assert.Equal(StoreDeliveryStatus.Failed, d.Status);
            Assert.StartsWith("MEMBER_BLOCKED", d.Reason);
        });

        // Unblocked, the merchant resends both (Shopify's resend carries the same event id): processed, awarded once.
        await h.Db(db => MemberOperations.UnblockAsync(db, h.App.Clock, "t", member.Member.Id));
        h.App.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.PostWooAsync(h.Woo, woo);
        await h.PostShopifyAsync(h.Shop, "orders/paid", shop, eventId: "evt-3002");
        await h.ProcessAsync();
        // Sent once more: now a duplicate of the processed one.
        h.App.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.PostWooAsync(h.Woo, woo);
        await h.PostShopifyAsync(h.Shop, "orders/paid", shop, eventId: "evt-3002");
        await h.ProcessAsync();

        Assert.Equal(80, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Member.Id)))!.Total);
        Assert.Equal(2, await h.Db(db => db.Purchases.CountAsync()));
        foreach (var connection in new[] { h.Woo, h.Shop })
        {
            var receipts = await h.DeliveriesAsync(connection);
            Assert.Equal([StoreDeliveryStatus.Failed, StoreDeliveryStatus.Processed, StoreDeliveryStatus.Ignored], receipts.Select(r => r.Status));
            Assert.Null(receipts[0].DedupeKey);
            Assert.StartsWith("Duplicate", receipts[2].Reason);
        }
    }

    private static string ShopifyOrderWith(long id, string email, string total, string? fulfillment, params (long Id, string Amount)[] refunds)
    {
        var order = JsonNode.Parse(ShopifyOrder(id, email, total: total))!.AsObject();
        order["financial_status"] = refunds.Length > 0 ? "partially_refunded" : "paid";
        order["fulfillment_status"] = fulfillment;
        order["refunds"] = new JsonArray([.. refunds.Select(r => (JsonNode)JsonNode.Parse(ShopifyRefund(r.Id, id, r.Amount))!)]);
        return order.ToJsonString();
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_shopify_refund_made_before_the_purchase_is_recorded_is_taken_back_from_the_order_body(string provider)
    {
        await using var h = await StartAsync(provider, awardOn: StoreAwardOn.CompletedOnly);
        // Paid (not awarded yet: completed only), then refunded in part before fulfilment: the refund finds no purchase.
        await h.PostShopifyAsync(h.Shop, "orders/paid", ShopifyOrderWith(8200, "early@example.com", "80.00", null));
        await h.PostShopifyAsync(h.Shop, "refunds/create", ShopifyRefund(9201, 8200, "50.00"));
        h.App.Clock.Advance(TimeSpan.FromSeconds(1));
        // Fulfilled: the order body carries the refund.
        await h.PostShopifyAsync(h.Shop, "orders/updated", ShopifyOrderWith(8200, "early@example.com", "80.00", "fulfilled", (9201, "50.00")));
        await h.ProcessAsync();

        var purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal((PurchaseStatus.Completed, 80L, 50m, 50L), (purchase.Status, purchase.PointsEarned, purchase.RefundedAmount, purchase.PointsReversed));
        Assert.Equal(30, (await h.Db(db => MemberQueries.BalanceAsync(db, purchase.MemberId)))!.Total);

        // A later update carries the same refund again (30 left, less than the refund): applied once, nothing fails;
        // a second refund by webhook and then in a body is taken back once.
        h.App.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.PostShopifyAsync(h.Shop, "orders/updated", ShopifyOrderWith(8200, "early@example.com", "80.00", "fulfilled", (9201, "50.00")));
        await h.PostShopifyAsync(h.Shop, "refunds/create", ShopifyRefund(9202, 8200, "10.00"));
        h.App.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.PostShopifyAsync(h.Shop, "orders/updated", ShopifyOrderWith(8200, "early@example.com", "80.00", "fulfilled", (9201, "50.00"), (9202, "10.00")));
        await h.ProcessAsync();

        purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal((60m, 60L), (purchase.RefundedAmount, purchase.PointsReversed));
        Assert.Equal(20, (await h.Db(db => MemberQueries.BalanceAsync(db, purchase.MemberId)))!.Total);
        Assert.DoesNotContain(await h.DeliveriesAsync(h.Shop), d => d.Status is StoreDeliveryStatus.Failed or StoreDeliveryStatus.Pending);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_program_earning_on_the_subtotal_earns_without_the_orders_tax_and_shipping(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.Db(db => PurchaseOperations.UpdateSettingsAsync(db, h.App.Clock, new EarningSettings(Base: EarningBase.Subtotal)));
        // WooCommerce: total 120.00 of which 10.00 tax and 15.00 shipping; Shopify: total 80.00, subtotal_price 60.00.
        await h.PostWooAsync(h.Woo, WooOrder(4001, "completed", "sub@example.com", total: "120.00", totalTax: "10.00", shippingTotal: "15.00"));
        await h.PostShopifyAsync(h.Shop, "orders/paid", ShopifyOrder(4002, "sub@example.com", total: "80.00", subtotal: "60.00"));
        await h.ProcessAsync();

        var earned = await h.Db(db => db.Purchases.AsNoTracking().OrderBy(p => p.OrderReference).Select(p => new { p.OrderReference, p.Amount, p.PointsEarned }).ToListAsync());
        Assert.Equal([("4001", 120m, 95L), ("4002", 80m, 60L)], earned.Select(p => (p.OrderReference, p.Amount, p.PointsEarned)));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Finished_receipts_keep_no_address_in_the_table_failed_ones_included(string provider)
    {
        await using var h = await StartAsync(provider, awardOn: StoreAwardOn.CompletedOnly);
        var address = $"private.{Guid.NewGuid():N}@example.com"; // unique: the raw query below sees every program
        await h.PostWooAsync(h.Woo, WooOrder(5001, "completed", address));                       // processed
        await h.PostWooAsync(h.Woo, WooOrder(5002, "processing", address));                      // ignored (completed only)
        await h.PostShopifyAsync(h.Shop, "orders/create", ShopifyOrder(5003, address));         // ignored
        await h.PostShopifyAsync(h.Shop, "customers/update", $$"""{"id":77,"email":"{{address}}","first_name":"Pri","phone":"+1 555 0199"}"""); // processed
        await h.PostWooAsync(h.Woo, WooOrder(5004, "completed", address, currency: "EUR"));     // failed (currency)
        await h.ProcessAsync();
        await h.SetStatusAsync(h.Shop, StoreConnectionStatus.Paused);
        await h.PostShopifyAsync(h.Shop, "orders/paid", ShopifyOrder(5005, address));           // skipped (paused)
        await h.ProcessAsync();

        var statuses = (await h.DeliveriesAsync(h.Woo)).Concat(await h.DeliveriesAsync(h.Shop)).GroupBy(d => d.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal((2, 2, 1, 1), (statuses[StoreDeliveryStatus.Processed], statuses[StoreDeliveryStatus.Ignored], statuses[StoreDeliveryStatus.Skipped], statuses[StoreDeliveryStatus.Failed]));
        // The table itself, read raw: the address is nowhere, not even in the failed receipt.
        var withAddress = await h.Db(db => db.Database.SqlQueryRaw<string>(
            "SELECT \"Status\" AS \"Value\" FROM \"StoreDeliveries\" WHERE \"Body\" LIKE {0} OR \"Reason\" LIKE {0}", $"%{address}%").ToListAsync());
        Assert.Empty(withAddress);
        Assert.All(await h.DeliveriesAsync(h.Woo), d =>
            Assert.Equal((string?)StoreDeliveryFacts.HashEmail(address), d.EmailHash));
    }
}
