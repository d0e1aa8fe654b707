using System.Collections.Concurrent;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Rewards;

/// <summary>
/// The store side of a redemption (<see cref="IStoreCoupons"/>), with a store that fails on demand (failure
/// injection): points and coupons stay consistent whatever the store does.
/// </summary>
public sealed class StoreCouponTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));

    /// <summary>A store that keeps the coupons it was asked to create and delete, and refuses while <see cref="Failing"/>.</summary>
    private sealed class RecordingStore : IStoreCoupons
    {
        public volatile bool Failing;
        public volatile bool FailingDeletes;
        public ConcurrentDictionary<string, StoreCoupon> Live { get; } = new();
        public ConcurrentBag<string> Deleted { get; } = [];
        private int _next;

        public Task<string?> CreateAsync(StoreCoupon coupon, CancellationToken ct)
        {
            if (Failing)
                throw new StoreCouponFailedException("the store answered 503");
            var id = $"store-{Interlocked.Increment(ref _next)}";
            Live[id] = coupon;
            return Task.FromResult<string?>(id);
        }

        public Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct)
        {
            if (FailingDeletes)
                throw new HttpRequestException("the store timed out");
            Assert.True(Live.TryRemove(storeCouponId, out _), $"{storeCouponId} deleted but never created");
            Deleted.Add(storeCouponId);
            return Task.CompletedTask;
        }
    }

    private async Task<(Guid Member, Reward Reward)> SetUpAsync(TestDatabase db, long points)
    {
        await using var ctx = db.ContextA();
        var id = await RewardSeed.MemberWithPointsAsync(ctx, _clock, "store@example.com", points);
        var reward = await RewardOperations.CreateAsync(ctx, _clock, new RewardDefinition("5 off", RewardKind.FixedAmountCoupon, 500, 5m, CodePrefix: "SHOP"));
        return (id, reward);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_store_that_fails_deducts_nothing_issues_nothing_and_the_same_key_succeeds_once_it_is_back(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (member, reward) = await SetUpAsync(db, 1_000);
        var store = new RecordingStore { Failing = true };
        await using var ctx = db.ContextA();

        var refused = await Assert.ThrowsAsync<StoreCouponFailedException>(() =>
            RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "r-1", stores: store));

        Assert.Equal("STORE_COUPON_FAILED", refused.Code);
        Assert.Equal((1_000L, 0L), await ctx.Balances.AsNoTracking().Where(b => b.MemberId == member).Select(b => new ValueTuple<long, long>(b.Approved, b.Spent)).SingleAsync());
        Assert.Equal(0, await ctx.Coupons.CountAsync());
        Assert.Equal(0, await ctx.LedgerEntries.CountAsync(e => e.Kind == LedgerEntryKind.Redeem));
        Assert.Equal(0, await ctx.DomainEvents.CountAsync(e => e.Type == EventTypes.RewardIssued || e.Type == EventTypes.PointsRedeemed));

        store.Failing = false;
        var redeemed = await RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "r-1", stores: store);
        var replay = await RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "r-1", stores: store);

        Assert.Equal(redeemed, replay);
        Assert.Equal(500L, redeemed.Balance.Approved);
        var (storeId, sent) = Assert.Single(store.Live);
        Assert.Equal((redeemed.Coupon.Id, member, "store@example.com", redeemed.Coupon.Code, 5m, "EUR", redeemed.Coupon.ExpiresAt),
            (sent.CouponId, sent.MemberId, sent.Email, sent.Code, sent.Value, sent.Currency, sent.ExpiresAt));
        Assert.Equal(storeId, await ctx.Coupons.AsNoTracking().Select(c => c.StoreCouponId).SingleAsync());
        Assert.Empty(store.Deleted);
    }

    /// <summary>
    /// Concurrent redemptions of one balance lose races and run their attempt again: every store coupon made by an
    /// attempt that did not commit is deleted, and the store ends with exactly the committed coupons.
    /// </summary>
    [Theory, PostgresData]
    public async Task Attempts_that_do_not_commit_leave_no_coupon_on_the_store(string provider)
    {
        var (store, committed) = await RaceAsync(provider, failingDeletes: false);

        Assert.Equal(committed.Order(), store.Live.Keys.Order());
        Assert.NotEmpty(store.Deleted); // 16 writers on one balance: some attempts lost and were undone on the store
    }

    /// <summary>A store that cannot delete leaves orphans for its reconciliation, but no redemption fails because of it.</summary>
    [Theory, PostgresData]
    public async Task A_store_that_cannot_delete_an_orphan_does_not_fail_the_redemption(string provider)
    {
        var (store, committed) = await RaceAsync(provider, failingDeletes: true);

        Assert.Superset(committed.Select(c => c!).ToHashSet(), store.Live.Keys.ToHashSet()); // the orphans stay on the store
        Assert.Empty(store.Deleted);
    }

    /// <summary>16 concurrent redemptions of a balance that affords 10: exactly 10 commit, whatever the store does with deletes.</summary>
    private async Task<(RecordingStore Store, List<string?> Committed)> RaceAsync(string provider, bool failingDeletes)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (member, reward) = await SetUpAsync(db, 5_000);
        var store = new RecordingStore { FailingDeletes = failingDeletes };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            await using var ctx = db.ContextA();
            try
            {
                return (await RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), $"race-{i}", stores: store)).Coupon;
            }
            catch (InsufficientPointsException)
            {
                return null;
            }
        }));

        await using var check = db.ContextA();
        var committed = await check.Coupons.AsNoTracking().Select(c => c.StoreCouponId).ToListAsync();
        Assert.Equal(10, results.Count(r => r is not null));
        Assert.Equal(10, committed.Count);
        Assert.All(committed, id => Assert.NotNull(id));
        Assert.Equal(0L, await check.Balances.AsNoTracking().Where(b => b.MemberId == member).Select(b => b.Approved).SingleAsync());
        return (store, committed);
    }
}
