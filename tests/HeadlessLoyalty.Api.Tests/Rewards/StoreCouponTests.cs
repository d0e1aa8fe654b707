using System.Collections.Concurrent;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Tests.TestSupport;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace HeadlessLoyalty.Api.Tests.Rewards;

/// <summary>
/// The store side of a redemption (<see cref="IStoreCoupons"/>), with a store that fails on demand (failure
/// injection): points and coupons stay consistent whatever the store does.
/// </summary>
public sealed class StoreCouponTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// A store that keeps the coupons it was asked to create and delete, and refuses while <see cref="Failing"/>.
    /// <see cref="LoseAnswers"/>: the coupon is created but the answer never arrives (as after a crash, or a connection
    /// lost after the request reached the store). <see cref="DuringCreate"/> runs after the coupon exists on the store.
    /// </summary>
    private sealed class RecordingStore : IStoreCoupons
    {
        public const string Target = "the-store";
        public volatile bool Failing;
        public volatile bool FailingDeletes;
        public volatile bool LoseAnswers;
        public Func<Task>? DuringCreate;
        public ConcurrentDictionary<string, StoreCoupon> Live { get; } = new();
        public ConcurrentBag<string> Deleted { get; } = [];
        public int Creates => _next;
        private int _next;

        public Task<string?> TargetAsync(Guid memberId, CancellationToken ct) => Task.FromResult<string?>(Target);

        public async Task<string> CreateAsync(string target, StoreCoupon coupon, string? createdBefore, CancellationToken ct)
        {
            Assert.Equal(Target, target);
            if (createdBefore is not null)
            {
                Assert.True(Live.ContainsKey(createdBefore), $"{createdBefore} reused but not on the store");
                return createdBefore;
            }
            if (Failing)
                throw new StoreCouponFailedException("the store answered 503");
            var id = $"store-{Interlocked.Increment(ref _next)}";
            Live[id] = coupon;
            if (DuringCreate is { } during)
                await during();
            if (LoseAnswers)
                throw new StoreCouponFailedException("the connection was lost before the store answered");
            return id;
        }

        public Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct)
        {
            if (FailingDeletes)
                throw new HttpRequestException("the store timed out");
            Assert.StartsWith("store-", storeCouponId);
            if (Live.TryRemove(storeCouponId, out _)) // an unknown one counts as removed (the contract)
                Deleted.Add(storeCouponId);
            return Task.CompletedTask;
        }

        public Task<bool> DeleteByCodeAsync(string target, string code, Guid memberId, CancellationToken ct)
        {
            if (FailingDeletes)
                throw new StoreCouponFailedException("the store timed out");
            var found = Live.Where(c => c.Value.Code == code && c.Value.MemberId == memberId).Select(c => c.Key).ToList();
            foreach (var id in found)
            {
                Live.TryRemove(id, out _);
                Deleted.Add(id);
            }
            return Task.FromResult(found.Count > 0);
        }
    }

    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private static Task<int> RecoverAsync(LoyaltyDbContext ctx, TimeProvider clock, IStoreCoupons store) =>
        StoreCouponJournal.RecoverAsync(ctx, clock, store, Grace, NullLogger.Instance);

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
        var (store, committed, db) = await RaceAsync(provider, failingDeletes: false);
        await using var _ = db;

        Assert.Equal(committed.Order(), store.Live.Keys.Order());
        // Every coupon the store made is either issued or deleted again; a lost race reuses its coupon (no second create).
        Assert.Equal(store.Creates, committed.Count + store.Deleted.Count);
        await using var check = db.ContextA();
        Assert.Equal(0, await check.StoreCouponIntents.CountAsync());
    }

    /// <summary>
    /// A store that cannot delete leaves orphans, but no redemption fails because of it; they stay in the journal, and
    /// the recovery run after the grace deletes them once the store deletes again.
    /// </summary>
    [Theory, PostgresData]
    public async Task A_store_that_cannot_delete_an_orphan_does_not_fail_the_redemption_and_recovery_deletes_it_later(string provider)
    {
        var (store, committed, db) = await RaceAsync(provider, failingDeletes: true);
        await using var _ = db;
        var orphans = store.Live.Count - committed.Count;
        Assert.Superset(committed.Select(c => c!).ToHashSet(), store.Live.Keys.ToHashSet()); // the orphans stay on the store
        Assert.Empty(store.Deleted);
        await using var ctx = db.ContextA();
        Assert.Equal(orphans, await ctx.StoreCouponIntents.CountAsync());

        var later = new FixedClock(_clock.GetUtcNow() + Grace);
        Assert.Equal(0, await RecoverAsync(ctx, later, store)); // the store still cannot delete: kept, attempt counted
        Assert.All(await ctx.StoreCouponIntents.AsNoTracking().ToListAsync(), i => Assert.Equal((true, 1), (i.Abandoned, i.Attempts)));

        store.FailingDeletes = false;
        Assert.Equal(orphans, await RecoverAsync(ctx, later, store));
        Assert.Equal(committed.Order(), store.Live.Keys.Order());
        Assert.Equal(0, await ctx.StoreCouponIntents.CountAsync());
        Assert.Equal(0, await RecoverAsync(ctx, later, store));
    }

    /// <summary>16 concurrent redemptions of a balance that affords 10: exactly 10 commit, whatever the store does with deletes.</summary>
    private async Task<(RecordingStore Store, List<string?> Committed, TestDatabase Db)> RaceAsync(string provider, bool failingDeletes)
    {
        var db = await TestDatabase.CreateAsync(provider);
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
        return (store, committed, db);
    }

    /// <summary>
    /// The store created the coupon but its answer never came (a crash between the store's answer and the commit looks
    /// the same to the database): nothing is deducted, the journal keeps the code, and the recovery run after the grace
    /// (not before: the redemption could still be running) deletes the coupon on the store.
    /// </summary>
    [Theory, SqliteData, PostgresData]
    public async Task A_coupon_whose_store_answer_was_lost_is_deleted_by_recovery_after_the_grace(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (member, reward) = await SetUpAsync(db, 1_000);
        var store = new RecordingStore { LoseAnswers = true };
        await using var ctx = db.ContextA();

        var refused = await Assert.ThrowsAsync<StoreCouponFailedException>(() =>
            RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "lost-1", stores: store));

        Assert.Equal("STORE_COUPON_FAILED", refused.Code);
        Assert.Equal(1_000L, await ctx.Balances.AsNoTracking().Where(b => b.MemberId == member).Select(b => b.Approved).SingleAsync());
        Assert.Equal(0, await ctx.Coupons.CountAsync());
        var orphan = Assert.Single(store.Live.Values); // free on the store for now
        var intent = await ctx.StoreCouponIntents.AsNoTracking().SingleAsync();
        Assert.Equal((orphan.Code, RecordingStore.Target, member, false), (intent.Code, intent.Target, intent.MemberId, intent.Abandoned));
        Assert.Contains("answer", intent.LastError);

        Assert.Equal(0, await RecoverAsync(ctx, new FixedClock(_clock.GetUtcNow() + Grace - TimeSpan.FromSeconds(1)), store));
        Assert.Single(store.Live);

        Assert.Equal(1, await RecoverAsync(ctx, new FixedClock(_clock.GetUtcNow() + Grace), store));
        Assert.Empty(store.Live);
        Assert.Equal(0, await ctx.StoreCouponIntents.CountAsync());

        // The member can redeem again (a new code); the journal is empty after a committed redemption.
        store.LoseAnswers = false;
        var redeemed = await RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "lost-2", stores: store);
        Assert.NotEqual(orphan.Code, redeemed.Coupon.Code);
        Assert.Equal(redeemed.Coupon.Code, Assert.Single(store.Live.Values).Code);
        Assert.Equal(0, await ctx.StoreCouponIntents.CountAsync());
        Assert.Equal(0, await RecoverAsync(ctx, new FixedClock(_clock.GetUtcNow() + Grace), store));
        Assert.Single(store.Live);
    }

    /// <summary>Refused before the store is called (not enough points), or replayed: the journal entry goes at once and the store is never asked.</summary>
    [Theory, SqliteData, PostgresData]
    public async Task A_refusal_before_the_store_call_and_a_replay_leave_nothing_in_the_journal(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (member, reward) = await SetUpAsync(db, 600);
        var store = new RecordingStore();
        await using var ctx = db.ContextA();

        var first = await RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "k-1", stores: store);
        var replay = await RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "k-1", stores: store);
        await Assert.ThrowsAsync<InsufficientPointsException>(() =>
            RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "k-2", stores: store));

        Assert.Equal(first, replay);
        Assert.Equal(1, store.Creates);
        Assert.Equal(0, await ctx.StoreCouponIntents.CountAsync());
    }

    /// <summary>
    /// Recovery running while a redemption's store call is in flight (the redemption outlived the grace) waits for the
    /// redemption's transaction: a redemption that commits keeps its coupon on the store and recovery leaves it alone; one
    /// whose store answer was lost rolls back, and recovery then finds the coupon on the store and deletes it.
    /// </summary>
    [Theory, PostgresData]
    public Task Recovery_during_a_store_call_waits_and_leaves_the_committed_coupon_alone(string provider) => RecoveryDuringAStoreCallAsync(provider, answerLost: false);

    [Theory, PostgresData]
    public Task Recovery_during_a_store_call_waits_and_deletes_the_coupon_whose_answer_was_lost(string provider) => RecoveryDuringAStoreCallAsync(provider, answerLost: true);

    private async Task RecoveryDuringAStoreCallAsync(string provider, bool answerLost)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (member, reward) = await SetUpAsync(db, 1_000);
        var store = new RecordingStore { LoseAnswers = answerLost };
        Task<int>? recovery = null;
        store.DuringCreate = async () =>
        {
            store.DuringCreate = null;
            recovery = Task.Run(async () =>
            {
                await using var other = db.ContextA();
                return await RecoverAsync(other, new FixedClock(_clock.GetUtcNow() + Grace), store);
            });
            // Give recovery the time to reach the journal row (without the row lock it would abandon it and delete the
            // coupon now, and this redemption would then fail).
            await Task.WhenAny(recovery, Task.Delay(500));
        };
        await using var ctx = db.ContextA();

        var redeemed = answerLost ? null : await RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "slow-1", stores: store);
        if (answerLost)
            await Assert.ThrowsAsync<StoreCouponFailedException>(() =>
                RewardOperations.RedeemAsync(ctx, _clock, "pos:1", new RedeemInput(member, reward.Id), "slow-1", stores: store));
        var recovered = await recovery!;

        Assert.Equal(0, await ctx.StoreCouponIntents.CountAsync());
        if (answerLost)
        {
            Assert.Equal(1, recovered);
            Assert.Empty(store.Live);
            Assert.Equal(1_000L, await ctx.Balances.AsNoTracking().Where(b => b.MemberId == member).Select(b => b.Approved).SingleAsync());
        }
        else
        {
            Assert.Equal(0, recovered);
            Assert.Equal(redeemed!.Coupon.Code, Assert.Single(store.Live.Values).Code);
            Assert.Equal(500L, redeemed.Balance.Approved);
        }
    }
}
