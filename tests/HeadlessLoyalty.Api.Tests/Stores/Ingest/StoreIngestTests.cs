using System.Net;
using System.Text;
using System.Text.Json;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static HeadlessLoyalty.Api.Tests.Stores.Ingest.StoreIngestHarness;

namespace HeadlessLoyalty.Api.Tests.Stores.Ingest;

/// <summary>
/// The store webhook ingest end to end: signed deliveries over HTTP into the inbox, answered before processing, then
/// the processor turning them into purchases, refunds, coupon uses, members and catalog rows, once.
/// </summary>
public sealed class StoreIngestTests
{
    [Theory, SqliteData, PostgresData]
    public async Task The_endpoint_answers_pings_unknown_and_disconnected_connections_without_changing_anything(string provider)
    {
        await using var h = await StartAsync(provider);
        // WooCommerce's ping right after the webhook is created: form body, no X-WC headers, no signature.
        var ping = await h.PostRawAsync($"/webhooks/woocommerce/{h.Woo}", new FormUrlEncodedContent([new("webhook_id", "7")]));
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Empty(await h.DeliveriesAsync(h.Woo));
        var connection = await h.Db(db => db.StoreConnections.AsNoTracking().SingleAsync(c => c.Id == h.Woo));
        Assert.Null(connection.LastDeliveryAt);

        Assert.Equal(HttpStatusCode.NotFound, (await h.PostWooAsync(Guid.NewGuid(), WooOrder(1, "processing", "a@example.com"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.PostRawAsync("/webhooks/woocommerce/not-a-guid", new StringContent("{}"))).StatusCode);
        // A WooCommerce delivery to the Shopify connection names no WooCommerce connection.
        Assert.Equal(HttpStatusCode.NotFound, (await h.PostWooAsync(h.Shop, WooOrder(1, "processing", "a@example.com"))).StatusCode);

        var gone = await h.AddConnectionAsync(StorePlatform.WooCommerce, "https://gone.example.com", secret: null, StoreConnectionStatus.Disconnected);
        Assert.Equal(HttpStatusCode.Gone, (await h.PostWooAsync(gone, WooOrder(1, "processing", "a@example.com"))).StatusCode);
        Assert.Empty(await h.DeliveriesAsync(gone));
        Assert.Equal(0, await h.Db(db => db.Members.CountAsync()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_bad_or_missing_signature_is_401_with_a_failed_receipt_that_says_the_secrets_differ(string provider)
    {
        await using var h = await StartAsync(provider);
        var body = WooOrder(10, "processing", "ann@example.com");
        var wrong = await h.PostWooAsync(h.Woo, body, secret: "anotherSecret");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        // The signature of the body with one character changed (PHP's \/ unescaped) does not match either.
        var unescaped = await h.PostWooAsync(h.Woo, body, signature: StoreWebhookIngest.Sign(Encoding.UTF8.GetBytes(body.Replace("\\/", "/")), WooSecret));
        Assert.Equal(HttpStatusCode.Unauthorized, unescaped.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.PostShopifyAsync(h.Shop, "orders/paid", ShopifyOrder(1, "a@example.com"), secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.PostWooAsync(h.Woo, body, signature: "not base64 !!")).StatusCode);

        var receipts = await h.DeliveriesAsync(h.Woo);
        Assert.Equal(3, receipts.Count);
        Assert.All(receipts, r =>
        {
            Assert.Equal(StoreDeliveryStatus.Failed, r.Status);
            Assert.Contains("secret on the store differs", r.Reason);
            Assert.Equal("", r.Body);
        });
        var shop = Assert.Single(await h.DeliveriesAsync(h.Shop));
        Assert.Contains("Unsigned", shop.Reason);
        Assert.Equal(0, await h.ProcessAsync());
        Assert.Equal(0, await h.Db(db => db.Purchases.CountAsync()));
        Assert.NotNull((await h.Db(db => db.StoreConnections.AsNoTracking().SingleAsync(c => c.Id == h.Woo))).LastDeliveryAt);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_php_escaped_order_is_persisted_before_the_answer_then_processed_into_a_purchase_and_a_member(string provider)
    {
        await using var h = await StartAsync(provider);
        var body = WooOrder(100, "processing", "Zoe@Example.com", total: "123.45", customerId: 55);
        Assert.Contains("\\/", body);
        Assert.Matches(PhpUnicodeEscape(), body);

        var response = await h.PostWooAsync(h.Woo, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Answered before processing: the inbox holds the raw body, pending, with the order id and the email's hash only.
        var pending = Assert.Single(await h.DeliveriesAsync(h.Woo));
        Assert.Equal(StoreDeliveryStatus.Pending, pending.Status);
        Assert.Equal(body, pending.Body);
        Assert.Equal("100", pending.ResourceId);
        Assert.Equal("order:100:processing:", pending.DedupeKey);
        Assert.Equal(StoreDeliveryFacts.HashEmail("zoe@example.com"), pending.EmailHash);
        Assert.Equal(0, await h.Db(db => db.Purchases.CountAsync()));

        Assert.Equal(1, await h.ProcessAsync());
        var done = Assert.Single(await h.DeliveriesAsync(h.Woo));
        Assert.Equal(StoreDeliveryStatus.Processed, done.Status);
        Assert.Contains("member enrolled", done.Reason);
        Assert.DoesNotContain("zoe@example.com", done.Reason!, StringComparison.OrdinalIgnoreCase);

        var member = await h.Db(db => db.Members.AsNoTracking().Include(m => m.ExternalIds).SingleAsync());
        Assert.Equal("Zoe@Example.com", member.Email);
        Assert.Equal("Zoë", member.FirstName);
        Assert.Equal("Ångström", member.LastName);
        Assert.Equal(("55", StoreConnection.KeyOf(h.Woo)), (member.ExternalIds.Single().ExternalId, member.ExternalIds.Single().Store));
        var purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal((StoreConnection.KeyOf(h.Woo), "100", 123.45m, PurchaseStatus.Pending, 123L), (purchase.StoreId, purchase.OrderReference, purchase.Amount, purchase.Status, purchase.PointsEarned));
        Assert.Equal("Café mug 12/oz", purchase.Lines.Single().Name);
        var types = await h.Db(db => db.DomainEvents.AsNoTracking().Select(e => e.Type).ToListAsync());
        Assert.Contains(EventTypes.MemberEnrolled, types);
        Assert.Contains(EventTypes.OrderAwarded, types);

        // processing -> completed completes the same purchase: no second credit.
        await h.PostWooAsync(h.Woo, WooOrder(100, "completed", "zoe@example.com", total: "123.45", customerId: 55));
        Assert.Equal(1, await h.ProcessAsync());
        purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal(PurchaseStatus.Completed, purchase.Status);
        var balance = await h.Db(db => MemberQueries.BalanceAsync(db, member.Id));
        Assert.Equal(123, balance!.Approved);
        Assert.Equal(1, await h.Db(db => db.Members.CountAsync()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Statuses_that_do_not_award_are_ignored_with_the_status_named_and_completed_only_waits_for_completion(string provider)
    {
        await using var h = await StartAsync(provider);
        var completedOnly = await h.AddConnectionAsync(StorePlatform.WooCommerce, "https://late.example.com", WooSecret, awardOn: StoreAwardOn.CompletedOnly);
        foreach (var status in new[] { "pending", "on-hold", "cancelled", "failed", "checkout-draft" })
            Assert.Equal(HttpStatusCode.OK, (await h.PostWooAsync(h.Woo, WooOrder(200, status, "bo@example.com"))).StatusCode);
        await h.PostWooAsync(completedOnly, WooOrder(201, "processing", "bo@example.com"));
        await h.ProcessAsync();

        var receipts = await h.DeliveriesAsync(h.Woo);
        Assert.Equal(5, receipts.Count);
        Assert.All(receipts, r => Assert.Equal(StoreDeliveryStatus.Ignored, r.Status));
        Assert.Contains(receipts, r => r.Reason!.Contains("'on-hold' does not award"));
        var late = Assert.Single(await h.DeliveriesAsync(completedOnly));
        Assert.Equal(StoreDeliveryStatus.Ignored, late.Status);
        Assert.Contains("'processing' does not award points (award on completed only)", late.Reason);
        Assert.Equal(0, await h.Db(db => db.Purchases.CountAsync()));

        await h.PostWooAsync(completedOnly, WooOrder(201, "completed", "bo@example.com"));
        await h.ProcessAsync();
        Assert.Equal(PurchaseStatus.Completed, (await h.Db(db => db.Purchases.AsNoTracking().SingleAsync())).Status);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_guest_order_without_email_is_skipped_and_members_are_matched_by_email_case_insensitively(string provider)
    {
        await using var h = await StartAsync(provider);
        var ann = await h.Db(db => MemberOperations.EnrollAsync(db, h.App.Clock, "t", new EnrollMemberInput("Ann.Lee@Example.com", "Ann")));

        await h.PostWooAsync(h.Woo, WooOrder(300, "processing", email: null));
        await h.PostWooAsync(h.Woo, WooOrder(301, "processing", "ann.lee@EXAMPLE.COM", total: "40.00"));
        await h.ProcessAsync();

        var receipts = (await h.DeliveriesAsync(h.Woo)).OrderBy(r => r.ResourceId).ToList();
        Assert.Equal(StoreDeliveryStatus.Skipped, receipts[0].Status);
        Assert.Contains("guest order without a billing email", receipts[0].Reason);
        Assert.Null(receipts[0].EmailHash);
        Assert.Equal(StoreDeliveryStatus.Processed, receipts[1].Status);
        Assert.DoesNotContain("enrolled", receipts[1].Reason);
        Assert.Equal(1, await h.Db(db => db.Members.CountAsync()));
        var purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal(ann.Member.Id, purchase.MemberId);
        Assert.Equal("301", purchase.OrderReference);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_delivery_replayed_a_hundred_times_concurrently_credits_once(string provider)
    {
        await using var h = await StartAsync(provider);
        var body = WooOrder(400, "completed", "rush@example.com", total: "50.00");
        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => h.PostWooAsync(h.Woo, body)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        // Shopify's retries share X-Shopify-Event-Id: the same, a hundred times at once.
        var shopify = ShopifyOrder(401, "rush@example.com", total: "30.00");
        var shopAnswers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => h.PostShopifyAsync(h.Shop, "orders/paid", shopify, eventId: "evt-401")));
        Assert.All(shopAnswers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));

        // Several processors at once (as several instances would run them).
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(h.ProcessAsync)));

        foreach (var connection in new[] { h.Woo, h.Shop })
        {
            var receipts = await h.DeliveriesAsync(connection);
            Assert.Equal(100, receipts.Count);
            Assert.Single(receipts, r => r.Status == StoreDeliveryStatus.Processed);
            Assert.Equal(99, receipts.Count(r => r.Status == StoreDeliveryStatus.Ignored && r.Reason!.StartsWith("Duplicate")));
        }
        var purchases = await h.Db(db => db.Purchases.AsNoTracking().ToListAsync());
        Assert.Equal(2, purchases.Count);
        var member = await h.Db(db => db.Members.AsNoTracking().SingleAsync());
        Assert.Equal(80, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Id)))!.Total);
        Assert.Equal(2, await h.Db(db => db.DomainEvents.CountAsync(e => e.Type == EventTypes.OrderAwarded)));
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_same_order_through_several_deliveries_processed_concurrently_still_credits_once(string provider)
    {
        await using var h = await StartAsync(provider);
        // Different dedupe keys (processing, completed, a refund-less replay from reconciliation): the engine's own idempotency holds.
        for (var i = 0; i < 10; i++)
        {
            await h.PostWooAsync(h.Woo, WooOrder(450, i % 2 == 0 ? "processing" : "completed", "twin@example.com", total: "20.00"));
            await h.PostWooAsync(h.Woo, WooOrder(451 + i, "processing", "twin@example.com", total: "1.00"));
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(h.ProcessAsync)));
        Assert.Equal(1, await h.Db(db => db.Members.CountAsync()));
        Assert.Equal(11, await h.Db(db => db.Purchases.CountAsync()));
        var member = await h.Db(db => db.Members.AsNoTracking().SingleAsync());
        Assert.Equal(30, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Id)))!.Total);
        Assert.DoesNotContain(await h.DeliveriesAsync(h.Woo), d => d.Status is StoreDeliveryStatus.Failed or StoreDeliveryStatus.Pending);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_delivery_accepted_before_a_crash_is_processed_when_the_processor_starts_again(string provider)
    {
        await using var h = await StartAsync(provider);
        Assert.Equal(HttpStatusCode.OK, (await h.PostWooAsync(h.Woo, WooOrder(500, "completed", "crash@example.com"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.PostWooAsync(h.Woo, WooOrder(501, "completed", "crash@example.com"))).StatusCode);
        // The process died while holding a claim on 501: its lease is still running.
        var held = (await h.DeliveriesAsync(h.Woo)).Single(d => d.ResourceId == "501");
        await h.Db(db => db.StoreDeliveries.Where(d => d.Id == held.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, h.App.Clock.GetUtcNow() + StoreDeliveryProcessor.Lease).SetProperty(d => d.Attempts, 1)));

        // The restarted instance's background service drains the inbox on start.
        var sp = h.App.Services;
        var service = new StoreDeliveryProcessorService(sp.GetRequiredService<StoreDeliveryProcessor>(), sp.GetRequiredService<StoreDeliverySignal>(),
            Options.Create(new StoreIngestOptions()), NullLogger<StoreDeliveryProcessorService>.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await h.DeliveriesAsync(h.Woo)).Single(d => d.ResourceId == "500").Status == StoreDeliveryStatus.Pending && DateTime.UtcNow < deadline)
                await Task.Delay(50);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
        var receipts = await h.DeliveriesAsync(h.Woo);
        Assert.Equal(StoreDeliveryStatus.Processed, receipts.Single(d => d.ResourceId == "500").Status);
        // Not taken from under a live lease...
        Assert.Equal(StoreDeliveryStatus.Pending, receipts.Single(d => d.ResourceId == "501").Status);
        Assert.Equal(0, await h.ProcessAsync());
        // ...but once it runs out.
        h.App.Clock.Advance(StoreDeliveryProcessor.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.ProcessAsync());
        var taken = (await h.DeliveriesAsync(h.Woo)).Single(d => d.ResourceId == "501");
        Assert.Equal((StoreDeliveryStatus.Processed, 2), (taken.Status, taken.Attempts));
        Assert.Equal(2, await h.Db(db => db.Purchases.CountAsync()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_refund_waits_while_its_orders_earlier_delivery_is_claimed_by_another_instance(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.PostWooAsync(h.Woo, WooOrder(700, "completed", "order@example.com", total: "100.00"));
        h.App.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.PostWooAsync(h.Woo, WooOrder(700, "completed", "order@example.com", total: "100.00", refunds: [(9100, "-40.00")]));
        // Another instance holds the purchase's delivery (its lease runs).
        var purchase = (await h.DeliveriesAsync(h.Woo)).Where(d => d.ResourceId == "700").OrderBy(d => d.ReceivedAt).First();
        await h.Db(db => db.StoreDeliveries.Where(d => d.Id == purchase.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, h.App.Clock.GetUtcNow() + StoreDeliveryProcessor.Lease).SetProperty(d => d.Attempts, 1)));

        // This instance may not take the refund meanwhile: applied before its purchase, it would be lost as "no purchase".
        Assert.Equal(0, await h.ProcessAsync());
        Assert.All(await h.DeliveriesAsync(h.Woo), d => Assert.Equal(StoreDeliveryStatus.Pending, d.Status));

        // The other instance died: its lease runs out, and both apply in the order received.
        h.App.Clock.Advance(StoreDeliveryProcessor.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(2, await h.ProcessAsync());
        Assert.All(await h.DeliveriesAsync(h.Woo), d => Assert.Equal(StoreDeliveryStatus.Processed, d.Status));
        var member = await h.Db(db => db.Members.AsNoTracking().SingleAsync());
        Assert.Equal(60, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Id)))!.Total);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Refunds_partial_with_negative_totals_then_the_refunded_status_take_back_proportionally_once(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.PostWooAsync(h.Woo, WooOrder(600, "completed", "ref@example.com", total: "200.00"));
        await h.ProcessAsync();
        var member = await h.Db(db => db.Members.AsNoTracking().SingleAsync());

        // order.updated with a partial refund of 50 (WooCommerce's negative string total), sent twice.
        var partial = WooOrder(600, "completed", "ref@example.com", total: "200.00", refunds: [(9001, "-50.00")]);
        Assert.Contains("\"total\":\"-50.00\"", partial);
        await h.PostWooAsync(h.Woo, partial);
        await h.PostWooAsync(h.Woo, partial);
        await h.ProcessAsync();
        Assert.Equal(150, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Id)))!.Approved);
        var purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal((50m, 50L), (purchase.RefundedAmount, purchase.PointsReversed));

        // Then the rest: status refunded, the refunds array now carrying both refunds.
        await h.PostWooAsync(h.Woo, WooOrder(600, "refunded", "ref@example.com", total: "200.00", refunds: [(9001, "-50.00"), (9002, "-150.00")]));
        await h.ProcessAsync();
        Assert.Equal(0, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Id)))!.Approved);
        purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal((200m, 200L), (purchase.RefundedAmount, purchase.PointsReversed));
        var receipts = await h.DeliveriesAsync(h.Woo);
        Assert.Equal(4, receipts.Count);
        Assert.Equal(3, receipts.Count(r => r.Status == StoreDeliveryStatus.Processed));
        Assert.Single(receipts, r => r.Status == StoreDeliveryStatus.Ignored);

        // A refunded status alone (no refunds array) on another order takes back everything.
        await h.PostWooAsync(h.Woo, WooOrder(601, "completed", "ref@example.com", total: "30.00"));
        await h.ProcessAsync();
        await h.PostWooAsync(h.Woo, WooOrder(601, "refunded", "ref@example.com", total: "30.00"));
        await h.ProcessAsync();
        Assert.Equal(0, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Id)))!.Approved);
        Assert.Equal(3, await h.Db(db => db.DomainEvents.CountAsync(e => e.Type == EventTypes.OrderReversed)));
    }

    [Theory, SqliteData, PostgresData]
    public async Task One_orders_deliveries_are_processed_in_the_order_received_and_a_refund_of_nothing_awarded_is_ignored(string provider)
    {
        await using var h = await StartAsync(provider);
        // Received a moment apart, processed in one pass (4 side by side): the refunds must follow the purchase.
        for (var i = 0; i < 5; i++)
        {
            await h.PostWooAsync(h.Woo, WooOrder(650 + i, "completed", $"seq{i}@example.com", total: "40.00"));
            h.App.Clock.Advance(TimeSpan.FromMilliseconds(1));
            await h.PostWooAsync(h.Woo, WooOrder(650 + i, "completed", $"seq{i}@example.com", total: "40.00", refunds: [(7000 + i, "-10.00")]));
            h.App.Clock.Advance(TimeSpan.FromMilliseconds(1));
            await h.PostWooAsync(h.Woo, WooOrder(650 + i, "refunded", $"seq{i}@example.com", total: "40.00", refunds: [(7000 + i, "-10.00"), (7100 + i, "-30.00")]));
            h.App.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        // An order we never awarded, refunded straight away (WooCommerce statuses may be skipped between deliveries).
        await h.PostWooAsync(h.Woo, WooOrder(660, "refunded", "never@example.com", total: "40.00", refunds: [(7200, "-40.00")]));
        await h.ProcessAsync();

        var purchases = await h.Db(db => db.Purchases.AsNoTracking().ToListAsync());
        Assert.Equal(5, purchases.Count);
        Assert.All(purchases, p => Assert.Equal((40m, 40L), (p.RefundedAmount, p.PointsReversed)));
        var never = (await h.DeliveriesAsync(h.Woo)).Single(d => d.ResourceId == "660");
        Assert.Equal(StoreDeliveryStatus.Ignored, never.Status);
        Assert.Contains("no purchase was recorded", never.Reason);
        Assert.Equal(0, await h.Db(db => db.Members.CountAsync(m => m.NormalizedEmail == "never@example.com")));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Our_coupons_on_an_order_are_marked_used_and_other_codes_are_left_alone(string provider)
    {
        await using var h = await StartAsync(provider);
        var member = await h.Db(db => MemberOperations.EnrollAsync(db, h.App.Clock, "t", new EnrollMemberInput("cou@example.com")));
        var coupon = await h.Db(async db =>
        {
            await PointsOperations.PostAsync(db, h.App.Clock, "t", new PostPointsInput(member.Member.Id, LedgerEntryKind.Earn, 1000));
            var reward = await RewardOperations.CreateAsync(db, h.App.Clock, new RewardDefinition("Five off", RewardKind.FixedAmountCoupon, 500, 5m));
            return (await RewardOperations.RedeemAsync(db, h.App.Clock, "t", new RedeemInput(member.Member.Id, reward.Id), "k1")).Coupon;
        });
        await h.PostWooAsync(h.Woo, WooOrder(700, "processing", "cou@example.com", coupons: [coupon.Code.ToLowerInvariant(), "summer10"]));
        await h.ProcessAsync();

        var receipt = Assert.Single(await h.DeliveriesAsync(h.Woo));
        Assert.Equal(StoreDeliveryStatus.Processed, receipt.Status);
        Assert.Contains($"coupon {coupon.Code} used", receipt.Reason);
        Assert.DoesNotContain("SUMMER10", receipt.Reason);
        var used = await h.Db(db => db.Coupons.AsNoTracking().SingleAsync());
        Assert.Equal((CouponStatus.Used, "700"), (used.Status, used.UsedOnOrder));
        Assert.Equal(1, await h.Db(db => db.DomainEvents.CountAsync(e => e.Type == EventTypes.CouponUsed)));
        Assert.Equal((1, 1), (await h.Db(db => RewardOperations.CountsAsync(db, [member.Member.Id])))[member.Member.Id]);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Shopify_orders_refunds_customers_products_and_locations(string provider)
    {
        await using var h = await StartAsync(provider);
        // A customer first: the member gets the Shopify customer id.
        var customer = """{"id":7001,"email":"Sam@Shop.example","first_name":"Sam","last_name":"Shopper","phone":"+1 555 0101","tags":""}""";
        Assert.Equal(HttpStatusCode.OK, (await h.PostShopifyAsync(h.Shop, "customers/create", customer)).StatusCode);
        await h.ProcessAsync();
        var member = await h.Db(db => db.Members.AsNoTracking().Include(m => m.ExternalIds).SingleAsync());
        Assert.Equal(("Sam@Shop.example", "7001", StoreConnection.KeyOf(h.Shop)), (member.Email, member.ExternalIds.Single().ExternalId, member.ExternalIds.Single().Store));

        // An update renames them, found by the customer id even with a new email.
        await h.PostShopifyAsync(h.Shop, "customers/update", """{"id":7001,"email":"sam.new@shop.example","first_name":"Samuel","last_name":"Shopper","phone":null}""");
        await h.ProcessAsync();
        member = await h.Db(db => db.Members.AsNoTracking().SingleAsync());
        Assert.Equal(("sam.new@shop.example", "Samuel"), (member.Email, member.FirstName));

        // orders/create is not awarded; orders/paid is; a partial refund then a second one.
        await h.PostShopifyAsync(h.Shop, "orders/create", ShopifyOrder(8001, "SAM.NEW@shop.example", total: "80.00", customerId: 7001));
        await h.PostShopifyAsync(h.Shop, "orders/paid", ShopifyOrder(8001, "SAM.NEW@shop.example", total: "80.00", customerId: 7001));
        await h.ProcessAsync();
        var purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal((member.Id, "8001", 80L, StoreConnection.KeyOf(h.Shop)), (purchase.MemberId, purchase.OrderReference, purchase.PointsEarned, purchase.StoreId));
        await h.PostShopifyAsync(h.Shop, "refunds/create", ShopifyRefund(9101, 8001, "20.00"), eventId: "r1");
        await h.PostShopifyAsync(h.Shop, "refunds/create", ShopifyRefund(9101, 8001, "20.00"), eventId: "r1");
        await h.ProcessAsync();
        Assert.Equal(60, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Id)))!.Total);
        await h.PostShopifyAsync(h.Shop, "refunds/create", ShopifyRefund(9102, 8001, "60.00"));
        await h.ProcessAsync();
        Assert.Equal(0, (await h.Db(db => MemberQueries.BalanceAsync(db, member.Id)))!.Total);

        // Catalog: a product with two variants, then one variant gone; a location.
        await h.PostShopifyAsync(h.Shop, "products/update", """{"id":31,"title":"Tee","variants":[{"id":311,"title":"S","sku":"TEE-S","price":"20.00"},{"id":312,"title":"M","sku":"TEE-M","price":"21.00"}]}""");
        await h.PostShopifyAsync(h.Shop, "locations/create", """{"id":41,"name":"Main street shop","city":"Lyon"}""");
        await h.ProcessAsync();
        await h.PostShopifyAsync(h.Shop, "products/update", """{"id":31,"title":"Tee (organic)","variants":[{"id":312,"title":"M","sku":"TEE-M","price":"22.50"}]}""");
        await h.ProcessAsync();
        var catalog = await h.Db(db => db.StoreCatalogItems.AsNoTracking().OrderBy(x => x.ExternalId).ToListAsync());
        Assert.Equal(2, catalog.Count);
        Assert.Equal((StoreCatalogKind.Variant, "312", "31", "Tee (organic)", "TEE-M", 22.50m), (catalog[0].Kind, catalog[0].ExternalId, catalog[0].ProductId, catalog[0].Title, catalog[0].Sku, catalog[0].Price));
        Assert.Equal((StoreCatalogKind.Location, "41", "Main street shop"), (catalog[1].Kind, catalog[1].ExternalId, catalog[1].Title));

        var receipts = await h.DeliveriesAsync(h.Shop);
        Assert.Single(receipts, r => r.Topic == "orders/create" && r.Status == StoreDeliveryStatus.Ignored);
        Assert.Single(receipts, r => r.Topic == "refunds/create" && r.Status == StoreDeliveryStatus.Ignored && r.Reason!.StartsWith("Duplicate"));
        Assert.DoesNotContain(receipts, r => r.Status is StoreDeliveryStatus.Failed or StoreDeliveryStatus.Pending);
        Assert.Equal(StoreDeliveryFacts.HashEmail("sam.new@shop.example"), receipts.First(r => r.Topic == "orders/paid").EmailHash);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Shopify_orders_updated_completes_a_fulfilled_order_and_awards_on_completion_only_when_fulfilled(string provider)
    {
        await using var h = await StartAsync(provider, awardOn: StoreAwardOn.CompletedOnly);
        static string Updated(string financial, string? fulfillment)
        {
            var order = System.Text.Json.Nodes.JsonNode.Parse(ShopifyOrder(8100, "late@example.com", total: "30.00"))!.AsObject();
            order["financial_status"] = financial;
            order["fulfillment_status"] = fulfillment;
            return order.ToJsonString();
        }
        await h.PostShopifyAsync(h.Shop, "orders/paid", ShopifyOrder(8100, "late@example.com", total: "30.00"));
        await h.PostShopifyAsync(h.Shop, "orders/updated", Updated("paid", null));
        await h.ProcessAsync();
        Assert.Equal(0, await h.Db(db => db.Purchases.CountAsync()));
        var ignored = (await h.DeliveriesAsync(h.Shop)).Single(d => d.Topic == "orders/updated");
        Assert.Contains("fulfillment status 'none' does not award points (award on completed only)", ignored.Reason);

        h.App.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.PostShopifyAsync(h.Shop, "orders/updated", Updated("paid", "fulfilled"));
        await h.ProcessAsync();
        var purchase = await h.Db(db => db.Purchases.AsNoTracking().SingleAsync());
        Assert.Equal((PurchaseStatus.Completed, 30L), (purchase.Status, purchase.PointsEarned));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_paused_connection_logs_deliveries_and_skips_them(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.SetStatusAsync(h.Woo, StoreConnectionStatus.Paused);
        Assert.Equal(HttpStatusCode.OK, (await h.PostWooAsync(h.Woo, WooOrder(800, "completed", "p@example.com"))).StatusCode);
        // Accepted while live, paused before processing: skipped too.
        await h.PostShopifyAsync(h.Shop, "orders/paid", ShopifyOrder(801, "p@example.com"));
        await h.SetStatusAsync(h.Shop, StoreConnectionStatus.Paused);
        await h.ProcessAsync();

        var woo = Assert.Single(await h.DeliveriesAsync(h.Woo));
        Assert.Equal(StoreDeliveryStatus.Skipped, woo.Status);
        Assert.Contains("paused", woo.Reason);
        Assert.Equal("800", woo.ResourceId);
        var shop = Assert.Single(await h.DeliveriesAsync(h.Shop));
        Assert.Equal(StoreDeliveryStatus.Skipped, shop.Status);
        Assert.Equal(0, await h.Db(db => db.Purchases.CountAsync()));
        Assert.Equal(0, await h.Db(db => db.Members.CountAsync()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_refusal_of_the_engine_is_a_failed_receipt_with_its_code(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.PostWooAsync(h.Woo, WooOrder(900, "completed", "eur@example.com", currency: "EUR"));
        await h.PostWooAsync(h.Woo, "{\"id\":901,\"status\":", topic: "order.updated");
        await h.ProcessAsync();
        // Bodies are blanked once finished: the order id (none for the unparseable one) tells them apart.
        var receipts = (await h.DeliveriesAsync(h.Woo)).OrderBy(r => r.ResourceId is null).ToList();
        Assert.Equal(StoreDeliveryStatus.Failed, receipts[0].Status);
        Assert.StartsWith("CURRENCY_MISMATCH", receipts[0].Reason);
        Assert.Equal(StoreDeliveryStatus.Failed, receipts[1].Status);
        Assert.Contains("not JSON", receipts[1].Reason);
    }
}

/// <summary>The admin's view of a connection's ingest over GraphQL: receipts as a connection, 24-hour counts, the last failure's hint, the catalog.</summary>
public sealed class StoreDeliveryMonitoringTests
{
    [Theory, SqliteData, PostgresData]
    public async Task Admins_see_receipts_counts_the_last_failure_with_a_hint_and_the_catalog(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.PostWooAsync(h.Woo, WooOrder(1, "completed", "m@example.com"));
        await h.PostWooAsync(h.Woo, WooOrder(2, "on-hold", "m@example.com"));
        await h.PostWooAsync(h.Woo, WooOrder(3, "processing", null));
        await h.PostWooAsync(h.Woo, WooOrder(4, "processing", "m@example.com"), secret: "stale");
        await h.PostShopifyAsync(h.Shop, "locations/create", """{"id":41,"name":"Depot"}""");
        await h.ProcessAsync();
        var client = h.App.CreateClient(h.App.MintToken(h.Slug, Api.Auth.Roles.Admin));
        var id = GraphQLSeed.StoreId(h.Woo);
        const string statsQuery = "query($id: ID!) { storeDeliveryStats(connectionId: $id) { lastDeliveryAt processed ignored skipped failed pending lastFailure { topic status reason resourceId } lastFailureHint } }";
        static (int, int, int, int, int) Counts(System.Text.Json.JsonElement s) => (s.GetProperty("processed").GetInt32(), s.GetProperty("ignored").GetInt32(),
            s.GetProperty("skipped").GetInt32(), s.GetProperty("failed").GetInt32(), s.GetProperty("pending").GetInt32());
        using (var first = await client.PostGraphQLAsync(statsQuery, new { id }))
        {
            Assert.False(first.HasErrors, first.ToString());
            var s = first.Data.GetProperty("storeDeliveryStats");
            Assert.Equal((1, 1, 1, 1, 0), Counts(s));
            // A refused body is not read: no order id on the receipt.
            Assert.Equal(("FAILED", JsonValueKind.Null), (s.GetProperty("lastFailure").GetProperty("status").GetString(), s.GetProperty("lastFailure").GetProperty("resourceId").ValueKind));
            Assert.StartsWith("The secrets differ", s.GetProperty("lastFailureHint").GetString());
        }

        // A day later the window has moved on; the last failure stays.
        h.App.Clock.Advance(TimeSpan.FromHours(25));
        await h.PostWooAsync(h.Woo, WooOrder(5, "completed", "m@example.com"));
        client = h.App.CreateClient(h.App.MintToken(h.Slug, Api.Auth.Roles.Admin));
        using (var later = await client.PostGraphQLAsync(statsQuery, new { id }))
        {
            var s = later.Data.GetProperty("storeDeliveryStats");
            Assert.Equal((0, 0, 0, 0, 1), Counts(s));
            Assert.Equal("FAILED", s.GetProperty("lastFailure").GetProperty("status").GetString());
            Assert.Equal(h.App.Clock.GetUtcNow().UtcDateTime, s.GetProperty("lastDeliveryAt").GetDateTime().ToUniversalTime());
        }

        // The same on the connection itself.
        using (var onType = await client.PostGraphQLAsync("query($id: ID!) { storeConnection(id: $id) { deliveryStats { pending lastFailureHint } deliveries(first: 1) { totalCount nodes { resourceId } } } }", new { id }))
        {
            Assert.False(onType.HasErrors, onType.ToString());
            var c = onType.Data.GetProperty("storeConnection");
            Assert.Equal(1, c.GetProperty("deliveryStats").GetProperty("pending").GetInt32());
            Assert.StartsWith("The secrets differ", c.GetProperty("deliveryStats").GetProperty("lastFailureHint").GetString());
            Assert.Equal(5, c.GetProperty("deliveries").GetProperty("totalCount").GetInt32());
            Assert.Equal("5", c.GetProperty("deliveries").GetProperty("nodes")[0].GetProperty("resourceId").GetString());
        }

        using var page = await client.PostGraphQLAsync(
            "query($id: ID!) { storeDeliveries(connectionId: $id, first: 2) { totalCount pageInfo { hasNextPage } nodes { resourceId status reason emailHash source } } }", new { id });
        Assert.False(page.HasErrors, page.ToString());
        var deliveries = page.Data.GetProperty("storeDeliveries");
        Assert.Equal(5, deliveries.GetProperty("totalCount").GetInt32());
        Assert.True(deliveries.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal("5", deliveries.GetProperty("nodes")[0].GetProperty("resourceId").GetString());
        Assert.DoesNotContain("m@example.com", page.Text);
        Assert.Contains(StoreDeliveryFacts.HashEmail("m@example.com")!, page.Text);

        using var ignored = await client.PostGraphQLAsync("query($id: ID!) { storeDeliveries(connectionId: $id, status: IGNORED) { nodes { reason } } }", new { id });
        Assert.Contains("'on-hold' does not award", Assert.Single(ignored.Data.GetProperty("storeDeliveries").GetProperty("nodes").EnumerateArray()).GetProperty("reason").GetString());

        using var catalog = await client.PostGraphQLAsync("query($id: ID!) { storeCatalog(connectionId: $id, kind: LOCATION) { nodes { kind externalId title } } }",
            new { id = GraphQLSeed.StoreId(h.Shop) });
        var location = Assert.Single(catalog.Data.GetProperty("storeCatalog").GetProperty("nodes").EnumerateArray());
        Assert.Equal(("LOCATION", "41", "Depot"), (location.GetProperty("kind").GetString(), location.GetProperty("externalId").GetString(), location.GetProperty("title").GetString()));
    }
}
