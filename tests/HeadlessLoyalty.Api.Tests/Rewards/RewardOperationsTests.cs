using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Rewards;

/// <summary>Redeeming points for coupons on real databases: one transaction, bounds on the server, never overspent.</summary>
public sealed class RewardOperationsTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));

    private async Task<Guid> MemberWithPointsAsync(TestDatabase db, long points, string email = "cleo@example.com")
    {
        await using var ctx = db.ContextA();
        return await RewardSeed.MemberWithPointsAsync(ctx, _clock, email, points);
    }

    private static async Task AssertBalanceMatchesEntriesAsync(LoyaltyDbContext ctx, Guid memberId)
    {
        var entries = await ctx.LedgerEntries.AsNoTracking().Where(e => e.MemberId == memberId).ToListAsync();
        var row = await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == memberId);
        Assert.Equal(Ledger.Fold(entries), BalanceState.Of(row) with { LastUpdatedAt = default });
    }

    [Theory, SqliteData, PostgresData]
    public async Task Redeeming_deducts_the_points_and_issues_a_coupon_in_one_step_and_a_retry_spends_nothing_more(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await MemberWithPointsAsync(db, 1_500);
        await using var ctx = db.ContextA();
        var reward = await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("5 off", RewardKind.FixedAmountCoupon, 500, 5m, CodePrefix: "LOYAL", ValidityDays: 14));

        var first = await RewardOperations.RedeemAsync(ctx, _clock, "pos:till-1", new RedeemInput(id, reward.Id), "redeem-1");
        var retry = await RewardOperations.RedeemAsync(ctx, _clock, "pos:till-1", new RedeemInput(id, reward.Id), "redeem-1");
        var reused = await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            RewardOperations.RedeemAsync(ctx, _clock, "pos:till-1", new RedeemInput(id, reward.Id, 400), "redeem-1"));

        Assert.Equal(first, retry);
        Assert.Matches("^LOYAL-[A-Z2-9]{8}$", first.Coupon.Code);
        Assert.Equal((5m, "EUR", 500L, CouponStatus.Issued, _clock.Now.AddDays(14)),
            (first.Coupon.Value, first.Coupon.Currency, first.Coupon.PointsSpent, first.Coupon.Status, first.Coupon.ExpiresAt));
        Assert.Equal((1_000L, 500L), (first.Balance.Approved, first.Balance.Spent));
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", reused.Code);
        Assert.Equal(1, await ctx.Coupons.CountAsync());
        var redeem = await ctx.LedgerEntries.AsNoTracking().SingleAsync(e => e.Kind == LedgerEntryKind.Redeem);
        Assert.Equal((-500L, $"coupon:{first.Coupon.Code}", "pos:till-1"), (redeem.Points, redeem.SourceReference, redeem.Actor));
        var events = await ctx.DomainEvents.AsNoTracking().Where(e => e.Type == EventTypes.RewardIssued || e.Type == EventTypes.PointsRedeemed).ToListAsync();
        Assert.Equal([EventTypes.PointsRedeemed, EventTypes.RewardIssued], events.Select(e => e.Type).Order());
        Assert.Equal(first.Coupon.Code, DomainEvents.Read<RewardIssuedPayload>(events.Single(e => e.Type == EventTypes.RewardIssued)).CouponCode);
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_points_discount_takes_the_chosen_points_within_its_bounds(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await MemberWithPointsAsync(db, 3_000);
        await using var ctx = db.ContextA();
        var reward = await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("Points", RewardKind.PointsDiscount, ValuePerPoint: 0.05m, MinPoints: 1_000, MaxPoints: 2_000));

        var redeemed = await RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, reward.Id, 1_234), "k1");
        var tooMany = await Assert.ThrowsAsync<HeadlessLoyalty.Api.Common.InvalidInputException>(() =>
            RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, reward.Id, 2_001), "k2"));

        Assert.Equal((61.70m, 1_234L, 1_766L), (redeemed.Coupon.Value, redeemed.Coupon.PointsSpent, redeemed.Balance.Approved));
        Assert.Equal("points", tooMany.Field);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Refusals_deduct_nothing_and_issue_nothing(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await MemberWithPointsAsync(db, 400);
        await using var ctx = db.ContextA();
        var reward = await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("5 off", RewardKind.FixedAmountCoupon, 500, 5m));
        var off = await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("Off", RewardKind.FreeShipping, 100, Enabled: false));

        var poor = await Assert.ThrowsAsync<InsufficientPointsException>(() => RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, reward.Id), "a"));
        var disabled = await Assert.ThrowsAsync<RewardDisabledException>(() => RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, off.Id), "b"));
        var unknown = await Assert.ThrowsAsync<RewardNotFoundException>(() => RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, Guid.NewGuid()), "c"));
        var noKey = await Assert.ThrowsAsync<IdempotencyKeyRequiredException>(() => RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, reward.Id), null));
        await MemberOperations.BlockAsync(ctx, _clock, "t", id);
        var cheap = await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("Ship", RewardKind.FreeShipping, 100));
        var blocked = await Assert.ThrowsAsync<MemberBlockedException>(() => RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, cheap.Id), "d"));

        Assert.Equal(("INSUFFICIENT_POINTS", "REWARD_DISABLED", "REWARD_NOT_FOUND", "IDEMPOTENCY_KEY_REQUIRED", "MEMBER_BLOCKED"),
            (poor.Code, disabled.Code, unknown.Code, noKey.Code, blocked.Code));
        Assert.Equal(0, await ctx.Coupons.CountAsync());
        Assert.Equal(400L, (await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == id)).Approved);
        Assert.Empty(await RewardOperations.EligibleAsync(ctx, id)); // blocked: nothing to offer
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_redemptions_never_overspend(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await MemberWithPointsAsync(db, 500);
        Guid rewardId;
        await using (var setup = db.ContextA())
            rewardId = (await RewardOperations.CreateAsync(setup, _clock, new RewardDefinition("Ship", RewardKind.FreeShipping, 100))).Id;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var ctx = db.ContextA();
            try
            {
                await RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, rewardId), $"race-{i}");
                return "issued";
            }
            catch (InsufficientPointsException)
            {
                return "refused";
            }
        }));

        await using var check = db.ContextA();
        Assert.Equal(5, outcomes.Count(o => o == "issued"));
        Assert.Equal(5, await check.Coupons.CountAsync());
        Assert.Equal(0L, (await check.Balances.AsNoTracking().SingleAsync(b => b.MemberId == id)).Approved);
        await AssertBalanceMatchesEntriesAsync(check, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Eligible_rewards_are_the_enabled_ones_the_approved_points_afford_cheapest_first(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await MemberWithPointsAsync(db, 1_000);
        await using var ctx = db.ContextA();
        await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("Big", RewardKind.FixedAmountCoupon, 2_000, 25m));
        await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("Points", RewardKind.PointsDiscount, ValuePerPoint: 0.05m, MinPoints: 1_000));
        await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("Ship", RewardKind.FreeShipping, 300));
        await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("Hidden", RewardKind.FreeShipping, 10, Enabled: false));

        var eligible = await RewardOperations.EligibleAsync(ctx, id);

        Assert.Equal(["Ship", "Points"], eligible.Select(r => r.Name));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_coupon_is_used_once_on_one_order_and_counted(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await MemberWithPointsAsync(db, 1_000);
        await using var ctx = db.ContextA();
        var reward = await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("Ship", RewardKind.FreeShipping, 100, ValidityDays: 3));
        var first = (await RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, reward.Id), "c1")).Coupon;
        var second = (await RewardOperations.RedeemAsync(ctx, _clock, "t", new RedeemInput(id, reward.Id), "c2")).Coupon;

        var used = await RewardOperations.MarkUsedAsync(ctx, _clock, first.Code.ToLowerInvariant(), "order-1");
        var again = await RewardOperations.MarkUsedAsync(ctx, _clock, first.Code, "order-1");
        var elsewhere = await Assert.ThrowsAsync<CouponAlreadyUsedException>(() => RewardOperations.MarkUsedAsync(ctx, _clock, first.Code, "order-2"));
        var unknown = await Assert.ThrowsAsync<CouponNotFoundException>(() => RewardOperations.MarkUsedAsync(ctx, _clock, "POINTS-NOPE2345", "order-3"));
        _clock.Advance(TimeSpan.FromDays(3));
        var expired = await Assert.ThrowsAsync<CouponNotUsableException>(() => RewardOperations.MarkUsedAsync(ctx, _clock, second.Code, "order-4"));
        var counts = await RewardOperations.CountsAsync(ctx, [id]);

        Assert.Equal((CouponStatus.Used, (DateTimeOffset?)_clock.Now.AddDays(-3)), (used.Status, used.UsedAt));
        Assert.Equal(used, again);
        Assert.Equal(("COUPON_ALREADY_USED", "COUPON_NOT_FOUND", "COUPON_NOT_USABLE"), (elsewhere.Code, unknown.Code, expired.Code));
        Assert.Contains("expired", expired.Message);
        Assert.Equal((2, 1), counts[id]);
        var usedEvents = await ctx.DomainEvents.AsNoTracking().Where(e => e.Type == EventTypes.CouponUsed).ToListAsync();
        Assert.Equal("order-1", DomainEvents.Read<CouponUsedPayload>(usedEvents.Single()).OrderReference);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Another_programs_rewards_and_members_are_not_found(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await MemberWithPointsAsync(db, 1_000);
        Guid rewardId;
        await using (var a = db.ContextA())
            rewardId = (await RewardOperations.CreateAsync(a, _clock, new RewardDefinition("Ship", RewardKind.FreeShipping, 100))).Id;
        await using var b = db.ContextB();

        Assert.Empty(await RewardOperations.ListAsync(b));
        await Assert.ThrowsAsync<RewardNotFoundException>(() => RewardOperations.RedeemAsync(b, _clock, "t", new RedeemInput(id, rewardId), "x"));
        await Assert.ThrowsAsync<RewardNotFoundException>(() => RewardOperations.UpdateAsync(b, _clock, rewardId, new RewardDefinition("Mine", RewardKind.FreeShipping, 1)));
        Assert.Equal(0, await b.Coupons.CountAsync());
    }
}
