using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Stores.Checkout;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.Stores.Checkout;

/// <summary>
/// A checkout discount's points come back only when it was not used: an order delivery that carries the code marks it
/// used whatever its status (orders/create included), and before returning the points the expiry job asks the store
/// (Shopify asyncUsageCount, WooCommerce usage_count); a store that cannot answer holds the return for later runs,
/// at most <see cref="CheckoutOperations.UnansweredStoreLimit"/>.
/// </summary>
public sealed class CheckoutExpiryStoreTests
{
    private static async Task<string> ApplyAsync(CheckoutTestApp c, long points, string key)
    {
        using var shopper = c.Storefront();
        var applied = await c.ApplyAsync(shopper, points, key);
        Assert.Empty(UserErrorsOf(applied));
        return applied.GetProperty("discount").GetProperty("code").GetString()!;
    }

    private static Task<Coupon> CouponAsync(CheckoutTestApp c, string code) =>
        c.T.App.WithTenantAsync(c.T.Slug, db => db.Coupons.AsNoTracking().SingleAsync(x => x.Code == code));

    [Theory, SqliteData, PostgresData]
    public async Task An_orders_create_delivery_with_the_code_marks_it_used_and_its_points_never_come_back(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        var code = await ApplyAsync(c, 1_000, "oc-1");

        // Only orders/create reaches us (the paid one is lost): the order used the code all the same.
        await c.DeliverOrderAsync("orders/create", 5_560_001, code);

        var coupon = await CouponAsync(c, code);
        Assert.Equal((CouponStatus.Used, "5560001"), (coupon.Status, coupon.UsedOnOrder));
        c.T.App.Clock.Advance(CheckoutTestApp.PastReturn);
        Assert.Equal(0, await c.RunExpiryAsync());
        Assert.Equal(1_000, await c.T.ApprovedAsync(c.Member.Id));
        Assert.Equal(0, await c.T.App.WithTenantAsync(c.T.Slug, db => db.Purchases.CountAsync()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_code_used_on_shopify_without_any_delivery_is_marked_used_by_the_expiry_and_keeps_its_points_spent(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        var used = await ApplyAsync(c, 1_000, "su-1");
        var unused = await ApplyAsync(c, 1_000, "su-2");
        c.T.Shopify.UseDiscount(used); // checked out with it; the order webhook never arrives

        c.T.App.Clock.Advance(CheckoutTestApp.PastReturn);
        Assert.Equal(1, await c.RunExpiryAsync());

        Assert.Equal(1_000, await c.T.ApprovedAsync(c.Member.Id)); // 2,000 - 1,000 - 1,000 + 1,000 back
        var coupon = await CouponAsync(c, used);
        Assert.Equal((CouponStatus.Used, null), (coupon.Status, coupon.UsedOnOrder));
        Assert.Equal(CouponStatus.Expired, (await CouponAsync(c, unused)).Status);
        Assert.Equal(1, await c.T.App.WithTenantAsync(c.T.Slug, db => db.DomainEvents.CountAsync(e => e.Type == EventTypes.CouponUsed)));
        // The used one is not deleted on the store (it is spent there), the unused one is.
        Assert.Equal([used], c.T.Shopify.Discounts.Values.Select(d => (string?)d["code"]));
        Assert.Equal(0, await c.RunExpiryAsync());
        Assert.Equal(1_000, await c.T.ApprovedAsync(c.Member.Id));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_store_that_cannot_answer_holds_the_return_until_it_answers_and_at_most_the_limit(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        var code = await ApplyAsync(c, 1_000, "un-1");
        c.T.App.Clock.Advance(CheckoutTestApp.PastReturn);

        c.T.Shopify.FailNext(500, times: 4); // the first try and the three retries
        Assert.Equal(0, await c.RunExpiryAsync());
        Assert.Equal(1_000, await c.T.ApprovedAsync(c.Member.Id));
        Assert.Equal(CouponStatus.Issued, (await CouponAsync(c, code)).Status);

        // It answers on the next run: unused, so the points return.
        Assert.Equal(1, await c.RunExpiryAsync());
        Assert.Equal(2_000, await c.T.ApprovedAsync(c.Member.Id));

        // A second discount on a store that stays down: held, then returned once the limit has passed, audited.
        var second = await ApplyAsync(c, 1_000, "un-2");
        c.T.App.Clock.Advance(CheckoutTestApp.PastReturn);
        c.T.Shopify.FailNext(500, times: 4);
        Assert.Equal(0, await c.RunExpiryAsync());
        c.T.App.Clock.Advance(CheckoutOperations.UnansweredStoreLimit);
        c.T.Shopify.FailNext(500, times: 8); // the ask and the delete both fail
        Assert.Equal(1, await c.RunExpiryAsync());
        Assert.Equal(2_000, await c.T.ApprovedAsync(c.Member.Id));
        Assert.Equal(CouponStatus.Expired, (await CouponAsync(c, second)).Status);
        var audit = await c.T.AuditAsync(c.ConnectionId);
        Assert.Contains(second, audit[^1].Detail);
        Assert.Contains("could not be asked whether the code was used", audit[^1].Detail);
    }

    [Theory, SqliteData, PostgresData]
    public async Task On_woocommerce_the_expiry_reads_the_coupons_usage_count(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        await t.ConnectWooAsync(settings: new { couponValidityDays = 1 });
        var member = await t.App.EnrollAsync(t.Slug, "woo.user@example.com", "Wo", "O");
        await t.App.AdjustAsync(t.Slug, member.Id, 2_000);
        using var shopper = t.App.CreateClient(t.App.MintToken(t.Slug, Roles.Storefront, member.Id, lifetime: TimeSpan.FromDays(1)));
        async Task<string> Apply(long points, string key)
        {
            var applied = await shopper.FieldAsync(CheckoutTestApp.Apply, "applyPointsAtCheckout", new { input = new { points, idempotencyKey = key } });
            Assert.Empty(UserErrorsOf(applied));
            return applied.GetProperty("discount").GetProperty("code").GetString()!;
        }
        var used = await Apply(1_000, "w-1");
        var unused = await Apply(1_000, "w-2");
        t.Woo.UseCoupon(used, "woo.user@example.com");

        t.App.Clock.Advance(CheckoutTestApp.PastReturn);
        var runs = await t.App.Services.GetRequiredService<HeadlessLoyalty.Api.Jobs.JobRunner>()
            .RunForAllProgramsAsync(HeadlessLoyalty.Api.Jobs.LoyaltyJobs.CheckoutDiscountExpiry, HeadlessLoyalty.Api.Jobs.JobTrigger.Manual);
        Assert.Equal(1, runs.Sum(r => r.Processed));

        Assert.Equal(1_000, await t.ApprovedAsync(member.Id));
        var coupons = await t.App.WithTenantAsync(t.Slug, db => db.Coupons.AsNoTracking().ToDictionaryAsync(x => x.Code, x => x.Status));
        Assert.Equal((CouponStatus.Used, CouponStatus.Expired), (coupons[used], coupons[unused]));
        Assert.Equal([used.ToLowerInvariant()], t.Woo.Coupons.Values.Select(x => (string?)x["code"]));
    }
}
