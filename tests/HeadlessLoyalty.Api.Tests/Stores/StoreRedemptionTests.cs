using HeadlessLoyalty.Api.Stores.Shopify;
using System.Text.Json;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.WooCommerce;
using HeadlessLoyalty.Api.Tests.Stores.Fakes;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.Stores;

/// <summary>
/// redeemCoupon for a member of a connected store creates the coupon on that store (WooCommerce, Shopify), on SQLite
/// and PostgreSQL: a store refusal or a paused store deducts nothing; lost answers and throttling are retried.
/// </summary>
public sealed class StoreRedemptionTests
{
    [Theory, SqliteData, PostgresData]
    public async Task Redeeming_creates_a_single_use_fixed_cart_coupon_on_woocommerce_for_the_members_email(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var (member, rewardId) = await t.MemberWithRewardAsync("Ann.Woo@Example.com");

        var redeemed = await t.RedeemAsync(member, rewardId, "woo-1");
        var replay = await t.RedeemAsync(member, rewardId, "woo-1");

        Assert.Empty(UserErrorsOf(redeemed));
        var code = redeemed.GetProperty("coupon").GetProperty("code").GetString()!;
        var coupon = Assert.Single(t.Woo.Coupons.Values);
        Assert.Equal((code.ToLowerInvariant(), "fixed_cart", "5.00", 1, 1, true), ((string?)coupon["code"], (string?)coupon["discount_type"], (string?)coupon["amount"],
            (int)coupon["usage_limit"]!, (int)coupon["usage_limit_per_user"]!, (bool)coupon["individual_use"]!));
        Assert.Equal(["Ann.Woo@Example.com"], coupon["email_restrictions"]!.AsArray().Select(e => (string?)e));
        Assert.NotNull((string?)coupon["date_expires_gmt"]);
        Assert.Equal(1_500, await t.ApprovedAsync(member.Id));
        var stored = await t.App.WithTenantAsync(t.Slug, db => db.Coupons.AsNoTracking().SingleAsync(c => c.Code == code));
        Assert.Equal($"{StoreTestApp.Raw(id):D}:{coupon["id"]}", stored.StoreCouponId);

        // A replay of the idempotency key creates nothing more.
        Assert.Equal(code, replay.GetProperty("coupon").GetProperty("code").GetString());
        Assert.Single(t.Woo.Coupons);

        var audit = await t.AuditAsync(id);
        Assert.Equal(StoreAuditActions.CouponCreated, audit[^1].Action);
        Assert.Contains(code, audit[^1].Detail);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_lost_answer_is_retried_and_the_duplicate_code_is_adopted_not_doubled(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        await t.ConnectWooAsync();
        var (member, rewardId) = await t.MemberWithRewardAsync("dup@example.com");
        t.Woo.LoseNextResponses(1); // the coupon is created but the answer is a 502: the retry hits "code already exists"

        var redeemed = await t.RedeemAsync(member, rewardId, "dup-1");

        Assert.Empty(UserErrorsOf(redeemed));
        var coupon = Assert.Single(t.Woo.Coupons.Values);
        var posts = t.Woo.Requests.Where(r => r.Method == "POST" && r.PathAndQuery == "/wp-json/wc/v3/coupons").Select(r => r.Status).ToList();
        Assert.Equal([502, 400], posts);
        Assert.Contains(t.Woo.Requests, r => r.Method == "GET" && r.PathAndQuery.StartsWith("/wp-json/wc/v3/coupons?code=", StringComparison.Ordinal));
        var code = redeemed.GetProperty("coupon").GetProperty("code").GetString()!;
        var stored = await t.App.WithTenantAsync(t.Slug, db => db.Coupons.AsNoTracking().SingleAsync(c => c.Code == code));
        Assert.EndsWith($":{coupon["id"]}", stored.StoreCouponId);

        // The same code for someone else is not adopted.
        var client = t.App.Services.GetRequiredService<WooCommerceClient>();
        var credentials = new StoreCredentials(FakeWooCommerce.DefaultKey, FakeWooCommerce.DefaultSecret, null, null);
        var e = await Assert.ThrowsAsync<StoreUnreachableException>(() => client.CreateCouponAsync(t.Woo.Url, credentials,
            new WooCoupon(code, "fixed_cart", 5, false, "someone.else@example.com", DateTimeOffset.UtcNow.AddDays(1), "x"), default));
        Assert.Contains("someone else", e.Message);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_store_failure_deducts_nothing_and_leaves_no_coupon(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        await t.ConnectWooAsync();
        var (member, rewardId) = await t.MemberWithRewardAsync("fail@example.com");
        t.Woo.FailNext(500, times: 4); // the first try and the three retries

        var failed = await t.RedeemAsync(member, rewardId, "fail-1");

        Assert.Equal(["STORE_COUPON_FAILED:"], UserErrorsOf(failed));
        Assert.Equal(4, t.Woo.Requests.Count(r => r.Method == "POST" && r.PathAndQuery == "/wp-json/wc/v3/coupons"));
        Assert.Equal(2_000, await t.ApprovedAsync(member.Id));
        Assert.Equal(0, await t.CouponCountAsync(member.Id));
        Assert.Empty(t.Woo.Coupons);

        // Retried later, it goes through (nothing was recorded for the key).
        var again = await t.RedeemAsync(member, rewardId, "fail-1");
        Assert.Empty(UserErrorsOf(again));
        Assert.Equal(1_500, await t.ApprovedAsync(member.Id));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_429_with_retry_after_is_waited_out_and_retried(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        await t.ConnectWooAsync();
        var (member, rewardId) = await t.MemberWithRewardAsync("slow@example.com");
        t.Woo.FailNext(429, times: 2, retryAfter: "0");

        var redeemed = await t.RedeemAsync(member, rewardId, "slow-1");

        Assert.Empty(UserErrorsOf(redeemed));
        Assert.Equal([429, 429, 201], t.Woo.Requests.Where(r => r.Method == "POST" && r.PathAndQuery == "/wp-json/wc/v3/coupons").Select(r => r.Status));
        Assert.Single(t.Woo.Coupons);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_paused_store_refuses_redemption_and_resuming_allows_it_again(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var (member, rewardId) = await t.MemberWithRewardAsync("paused@example.com");

        var paused = await t.StoreMutationAsync("pauseStore", id);
        var pausedAgain = await t.StoreMutationAsync("pauseStore", id);
        var refused = await t.RedeemAsync(member, rewardId, "p-1");

        Assert.Empty(UserErrorsOf(paused));
        Assert.Equal("PAUSED", paused.GetProperty("connection").GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, paused.GetProperty("connection").GetProperty("pausedAt").ValueKind);
        Assert.Empty(UserErrorsOf(pausedAgain));
        Assert.Equal(["STORE_PAUSED:"], UserErrorsOf(refused));
        Assert.Equal(2_000, await t.ApprovedAsync(member.Id));
        Assert.Equal(0, await t.CouponCountAsync(member.Id));
        Assert.Empty(t.Woo.Coupons);
        var target = await t.App.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().FindAsync(StoreTestApp.Raw(id), StorePlatform.WooCommerce));
        Assert.False(target!.IsLive); // the ingest logs and skips

        var resumed = await t.StoreMutationAsync("resumeStore", id);
        var redeemed = await t.RedeemAsync(member, rewardId, "p-2");

        Assert.Equal("ACTIVE", resumed.GetProperty("connection").GetProperty("status").GetString());
        Assert.Empty(UserErrorsOf(redeemed));
        Assert.Single(t.Woo.Coupons);
        Assert.Equal([StoreAuditActions.Connected, StoreAuditActions.Paused, StoreAuditActions.Resumed, StoreAuditActions.CouponCreated],
            (await t.AuditAsync(id)).Select(a => a.Action));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Redeeming_on_shopify_creates_a_discount_limited_to_the_customer_and_throttling_is_retried(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        Assert.Equal(["CUSTOMERS_CREATE", "CUSTOMERS_UPDATE", "LOCATIONS_CREATE", "ORDERS_CREATE", "ORDERS_PAID", "ORDERS_UPDATED", "PRODUCTS_UPDATE", "REFUNDS_CREATE"],
            t.Shopify.Subscriptions.Values.Select(s => s.Topic).Order(StringComparer.Ordinal));
        var (member, rewardId) = await t.MemberWithRewardAsync("shopper@example.com");
        var (stranger, _) = await t.MemberWithRewardAsync("stranger@example.com");

        // No Shopify customer id: a typed refusal, nothing deducted.
        var unknown = await t.RedeemAsync(stranger, rewardId, "s-0");
        Assert.Equal(["STORE_CUSTOMER_UNKNOWN:"], UserErrorsOf(unknown));
        Assert.Equal(2_000, await t.ApprovedAsync(stranger.Id));

        await t.LinkCustomerAsync(member.Id, StoreTestApp.Raw(id), "7001");
        t.Shopify.ThrottleNext(2);
        var redeemed = await t.RedeemAsync(member, rewardId, "s-1");

        Assert.Empty(UserErrorsOf(redeemed));
        Assert.Equal(3, t.Shopify.GraphQLRequests("discountCodeBasicCreate"));
        var discount = Assert.Single(t.Shopify.Discounts.Values);
        Assert.Equal(redeemed.GetProperty("coupon").GetProperty("code").GetString(), (string?)discount["code"]);
        Assert.Equal((1, true), ((int)discount["usageLimit"]!, (bool)discount["appliesOncePerCustomer"]!));
        Assert.Equal(["gid://shopify/Customer/7001"], discount["context"]!["customers"]!["add"]!.AsArray().Select(x => (string?)x));
        Assert.Equal(("5.00", false), ((string?)discount["customerGets"]!["value"]!["discountAmount"]!["amount"], (bool)discount["customerGets"]!["value"]!["discountAmount"]!["appliesOnEachItem"]!));
        Assert.Equal(1_500, await t.ApprovedAsync(member.Id));
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_member_is_routed_to_the_store_of_their_customer_id_or_latest_purchase(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var wooId = StoreTestApp.Raw((await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!);
        var shopId = StoreTestApp.Raw((await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!);
        var (linked, rewardId) = await t.MemberWithRewardAsync("linked@example.com");
        var (buyer, _) = await t.MemberWithRewardAsync("buyer@example.com");
        var (nobody, _) = await t.MemberWithRewardAsync("nobody@example.com");
        await t.LinkCustomerAsync(linked.Id, shopId, "gid://shopify/Customer/42");
        await t.App.WithTenantAsync(t.Slug, db => HeadlessLoyalty.Api.Purchases.PurchaseOperations.RecordAsync(db, t.App.Clock, "test",
            new HeadlessLoyalty.Api.Purchases.RecordPurchaseInput(buyer.Id, HeadlessLoyalty.Api.Purchases.PurchaseChannel.Online, StoreConnection.KeyOf(wooId), null, "1001",
                20m, null, "EUR", null, HeadlessLoyalty.Api.Purchases.PurchaseStatus.Completed)));

        var toShopify = await t.RedeemAsync(linked, rewardId, "r-1");
        var toWoo = await t.RedeemAsync(buyer, rewardId, "r-2");
        var unresolved = await t.RedeemAsync(nobody, rewardId, "r-3");

        Assert.Empty(UserErrorsOf(toShopify));
        Assert.Equal(["gid://shopify/Customer/42"], Assert.Single(t.Shopify.Discounts.Values)["context"]!["customers"]!["add"]!.AsArray().Select(x => (string?)x));
        Assert.Empty(UserErrorsOf(toWoo));
        Assert.Equal(["buyer@example.com"], Assert.Single(t.Woo.Coupons.Values)["email_restrictions"]!.AsArray().Select(x => (string?)x));
        Assert.Equal(["STORE_NOT_RESOLVED:"], UserErrorsOf(unresolved));
        Assert.Equal(2_000, await t.ApprovedAsync(nobody.Id));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_redemptions_leave_exactly_one_store_coupon_per_issued_coupon(string provider)
    {
        // Lost races retry the redemption on fresh numbers; every store coupon an uncommitted attempt created is
        // deleted again, so the store ends with the issued coupons only and no free one.
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var (member, rewardId) = await t.MemberWithRewardAsync("race@example.com", 2_600); // five redemptions of 500 fit
        t.Tick();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => t.Admin.FieldAsync(StoreTestApp.Redeem, "redeemCoupon",
            new { input = new { member = new { id = HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed.MemberId(member.Id) }, rewardId, idempotencyKey = $"race-{i}" } })));

        var issued = results.Where(r => UserErrorsOf(r).Length == 0).Select(r => r.GetProperty("coupon").GetProperty("code").GetString()!.ToLowerInvariant()).ToList();
        Assert.Equal(5, issued.Count);
        Assert.All(results.Where(r => UserErrorsOf(r).Length > 0), r => Assert.Equal(["INSUFFICIENT_POINTS:points"], UserErrorsOf(r)));
        Assert.Equal(100, await t.ApprovedAsync(member.Id));
        Assert.Equal(issued.Order(), t.Woo.Coupons.Values.Select(c => (string)c["code"]!).Order());
        var created = t.Woo.Requests.Count(r => r.Method == "POST" && r.PathAndQuery == "/wp-json/wc/v3/coupons" && r.Status == 201);
        var deleted = t.Woo.Requests.Count(r => r.Method == "DELETE" && r.PathAndQuery.StartsWith("/wp-json/wc/v3/coupons/", StringComparison.Ordinal) && r.PathAndQuery.EndsWith("?force=true", StringComparison.Ordinal) && r.Status == 200);
        Assert.Equal(created - 5, deleted);
        var audit = await t.AuditAsync(id);
        Assert.Equal(5, audit.Count(a => a.Action == StoreAuditActions.CouponCreated));
        Assert.Equal(deleted, audit.Count(a => a.Action == StoreAuditActions.CouponDeleted));
    }

    /// <summary>Runs store-coupon-recovery for the test program, the app's clock moved past the grace first.</summary>
    private static async Task<int> RecoverAfterGraceAsync(StoreTestApp t)
    {
        t.App.Clock.Advance(TimeSpan.FromMinutes(5));
        var program = await t.App.WithTenantAsync(t.Slug, db => db.Programs.AsNoTracking().Select(p => p.Id).SingleAsync());
        var run = await t.App.Services.GetRequiredService<JobRunner>().RunForProgramAsync(LoyaltyJobs.StoreCouponRecovery, program, JobTrigger.Manual);
        Assert.True(run.Error is null, run.Error);
        return run.Processed;
    }

    /// <summary>
    /// WooCommerce creates the coupon but every answer is lost (the first try, its retries and the duplicate-code
    /// lookup): the redemption fails with nothing deducted, and a crash at that point would look the same. The
    /// coupon is free on the store until store-coupon-recovery finds it by code and deletes it.
    /// </summary>
    [Theory, SqliteData, PostgresData]
    public async Task A_woocommerce_coupon_whose_answers_were_all_lost_is_deleted_by_recovery(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var (member, rewardId) = await t.MemberWithRewardAsync("lost@example.com");
        t.Woo.LoseNextResponses(5); // POST, then three retries (each "already exists" after the first), then the lookup

        var failed = await t.RedeemAsync(member, rewardId, "lost-1");

        Assert.Equal(["STORE_COUPON_FAILED:"], UserErrorsOf(failed));
        Assert.Equal(2_000, await t.ApprovedAsync(member.Id));
        Assert.Equal(0, await t.CouponCountAsync(member.Id));
        var orphan = (string)Assert.Single(t.Woo.Coupons.Values)["code"]!;
        Assert.Equal(1, (await t.ConnectionAsync(id)).GetProperty("couponsAwaitingRecovery").GetInt32());

        Assert.Equal(1, await RecoverAfterGraceAsync(t));
        Assert.Empty(t.Woo.Coupons);
        Assert.Equal(0, (await t.ConnectionAsync(id)).GetProperty("couponsAwaitingRecovery").GetInt32());
        var audit = await t.AuditAsync(id);
        Assert.Equal(StoreAuditActions.CouponDeleted, audit[^1].Action);
        Assert.Contains("never committed", audit[^1].Detail);
        Assert.Contains(orphan, audit[^1].Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await RecoverAfterGraceAsync(t));
    }

    /// <summary>
    /// Shopify creates the discount but every answer is lost (the create and its three retries), so the redemption fails
    /// with nothing deducted while the discount lives on Shopify. store-coupon-recovery looks the code up
    /// (codeDiscountNodeByCode) and deletes it; a committed redemption's discount is never touched.
    /// </summary>
    [Theory, SqliteData, PostgresData]
    public async Task A_shopify_discount_whose_answer_was_lost_is_deleted_by_recovery_and_issued_ones_stay(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var (member, rewardId) = await t.MemberWithRewardAsync("lost.shop@example.com");
        await t.LinkCustomerAsync(member.Id, StoreTestApp.Raw(id), "7002");
        var issued = await t.RedeemAsync(member, rewardId, "kept-1");
        Assert.Empty(UserErrorsOf(issued));
        t.Shopify.LoseNextResponses(4);

        var failed = await t.RedeemAsync(member, rewardId, "lost-1");

        Assert.Equal(["STORE_COUPON_FAILED:"], UserErrorsOf(failed));
        Assert.Equal(1_500, await t.ApprovedAsync(member.Id));
        Assert.Equal(2, t.Shopify.Discounts.Count);

        Assert.Equal(1, await RecoverAfterGraceAsync(t));
        var kept = Assert.Single(t.Shopify.Discounts.Values);
        Assert.Equal(issued.GetProperty("coupon").GetProperty("code").GetString(), (string?)kept["code"]);
        Assert.Equal(1, t.Shopify.GraphQLRequests("codeDiscountNodeByCode"));
        Assert.Equal(0, await RecoverAfterGraceAsync(t));
    }

    /// <summary>
    /// Shopify creates the discount but the answer is lost once: the retry is refused (the code is taken) and the
    /// discount is looked up by code and adopted, so the redemption goes through with exactly one discount.
    /// </summary>
    [Theory, SqliteData, PostgresData]
    public async Task A_shopify_discount_whose_answer_was_lost_once_is_adopted_by_its_retry(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var (member, rewardId) = await t.MemberWithRewardAsync("adopt.shop@example.com");
        await t.LinkCustomerAsync(member.Id, StoreTestApp.Raw(id), "7003");
        t.Shopify.LoseNextResponses(1);

        var redeemed = await t.RedeemAsync(member, rewardId, "adopt-1");

        Assert.Empty(UserErrorsOf(redeemed));
        var (nodeId, discount) = Assert.Single(t.Shopify.Discounts);
        Assert.Equal(redeemed.GetProperty("coupon").GetProperty("code").GetString(), (string?)discount["code"]);
        Assert.Equal(2, t.Shopify.GraphQLRequests("discountCodeBasicCreate"));
        Assert.Equal(1_500, await t.ApprovedAsync(member.Id));
        var stored = await t.App.WithTenantAsync(t.Slug, db => db.Coupons.AsNoTracking().SingleAsync(c => c.MemberId == member.Id));
        Assert.EndsWith($":{nodeId}", stored.StoreCouponId);
    }

    /// <summary>A replay is answered from its key even when the member could no longer be routed (a second store connected since).</summary>
    [Theory, SqliteData, PostgresData]
    public async Task A_replay_returns_the_first_result_even_when_routing_would_now_refuse(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        await t.ConnectWooAsync();
        var (member, rewardId) = await t.MemberWithRewardAsync("replay@example.com");
        var redeemed = await t.RedeemAsync(member, rewardId, "replay-1");
        await t.ConnectShopifyAsync();
        var (other, _) = await t.MemberWithRewardAsync("unrouted@example.com");
        Assert.Equal(["STORE_NOT_RESOLVED:"], UserErrorsOf(await t.RedeemAsync(other, rewardId, "other-1")));

        var replay = await t.RedeemAsync(member, rewardId, "replay-1");

        Assert.Empty(UserErrorsOf(replay));
        Assert.Equal(redeemed.GetProperty("coupon").GetProperty("code").GetString(), replay.GetProperty("coupon").GetProperty("code").GetString());
        Assert.Single(t.Woo.Coupons);
        Assert.Equal(0, await t.App.WithTenantAsync(t.Slug, db => db.StoreCouponIntents.CountAsync()));
    }

    /// <summary>StoreConnection.reconciliation shows the job's last run for the connection, and the store's failure when it had one.</summary>
    [Theory, SqliteData, PostgresData]
    public async Task The_connection_shows_its_last_reconciliation_and_its_failure(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        Assert.Equal(JsonValueKind.Null, (await t.ConnectionAsync(id)).GetProperty("reconciliation").ValueKind);
        var program = await t.App.WithTenantAsync(t.Slug, db => db.Programs.AsNoTracking().Select(p => p.Id).SingleAsync());
        var runner = t.App.Services.GetRequiredService<JobRunner>();

        t.Tick();
        Assert.Null((await runner.RunForProgramAsync(LoyaltyJobs.StoreReconciliation, program, JobTrigger.Manual)).Error);
        var ok = (await t.ConnectionAsync(id)).GetProperty("reconciliation");
        Assert.Equal(t.App.Clock.GetUtcNow(), ok.GetProperty("lastRunAt").GetDateTimeOffset());
        Assert.Equal((0, 0, JsonValueKind.Null), (ok.GetProperty("lastOrdersQueued").GetInt32(), ok.GetProperty("lastWebhooksRepaired").GetInt32(), ok.GetProperty("lastError").ValueKind));

        t.Tick();
        t.Woo.FailNext(500, times: 4); // the orders query and its three retries
        Assert.Null((await runner.RunForProgramAsync(LoyaltyJobs.StoreReconciliation, program, JobTrigger.Manual)).Error);
        var failed = (await t.ConnectionAsync(id)).GetProperty("reconciliation");
        Assert.Equal(t.App.Clock.GetUtcNow(), failed.GetProperty("lastRunAt").GetDateTimeOffset());
        Assert.StartsWith("STORE_UNREACHABLE: ", failed.GetProperty("lastError").GetString());
    }
}
