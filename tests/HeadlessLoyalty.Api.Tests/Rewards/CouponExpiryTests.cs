using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Rewards;

/// <summary>The coupon-expiry job: issued coupons past their validity become Expired, once; nothing else moves.</summary>
public sealed class CouponExpiryTests
{
    [Theory, SqliteData, PostgresData]
    public async Task Issued_coupons_past_their_validity_expire_once_and_used_ones_and_other_programs_stay(string provider)
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
        await using var db = await TestDatabase.CreateAsync(provider);
        async Task<(CouponView Week, CouponView Month, CouponView Used)> IssueAsync(HeadlessLoyalty.Api.Data.LoyaltyDbContext ctx)
        {
            var member = await RewardSeed.MemberWithPointsAsync(ctx, clock, "exp@example.com", 3_000);
            var week = await RewardOperations.CreateAsync(ctx, clock, new RewardDefinition("Week", RewardKind.FixedAmountCoupon, 500, 5m, ValidityDays: 7));
            var month = await RewardOperations.CreateAsync(ctx, clock, new RewardDefinition("Month", RewardKind.FixedAmountCoupon, 500, 5m, ValidityDays: 30));
            return ((await RewardOperations.RedeemAsync(ctx, clock, "t", new RedeemInput(member, week.Id), $"w-{member}")).Coupon,
                (await RewardOperations.RedeemAsync(ctx, clock, "t", new RedeemInput(member, month.Id), $"m-{member}")).Coupon,
                (await RewardOperations.RedeemAsync(ctx, clock, "t", new RedeemInput(member, week.Id), $"u-{member}")).Coupon);
        }
        await using var a = db.ContextA();
        await using var b = db.ContextB();
        var mine = await IssueAsync(a);
        var theirs = await IssueAsync(b);
        await RewardOperations.MarkUsedAsync(a, clock, mine.Used.Code, "order-1");

        clock.Now = clock.Now.AddDays(7); // the week coupons' last moment has come; the month one has 23 days left
        var expired = await RewardOperations.ExpireCouponsAsync(a, clock);
        var rerun = await RewardOperations.ExpireCouponsAsync(a, clock);

        Assert.Equal((1, 0), (expired, rerun));
        var statuses = await a.Coupons.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Status);
        Assert.Equal(CouponStatus.Expired, statuses[mine.Week.Id]);
        Assert.Equal(CouponStatus.Issued, statuses[mine.Month.Id]);
        Assert.Equal(CouponStatus.Used, statuses[mine.Used.Id]);
        Assert.Equal([CouponStatus.Issued, CouponStatus.Issued, CouponStatus.Issued], (await b.Coupons.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Status).ToListAsync()));
        Assert.Equal(1_500L, await a.Balances.AsNoTracking().Select(x => x.Approved).SingleAsync()); // no points come back
    }
}
