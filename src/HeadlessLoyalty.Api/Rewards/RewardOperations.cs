using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace HeadlessLoyalty.Api.Rewards;

/// <summary>
/// Reward definitions and their redemption: points are deducted and the coupon issued in one transaction, so a
/// refused or failed redemption deducts nothing, and concurrent redemptions never overspend (the deduction changes
/// the balance row, whose concurrency token makes a concurrent writer retry on fresh numbers).
/// </summary>
public static class RewardOperations
{
    public const string RedeemOperation = "redeemCoupon";

    public static Task<Reward> CreateAsync(LoyaltyDbContext db, TimeProvider clock, RewardDefinition definition, CancellationToken ct = default)
    {
        RewardRules.Validate(definition);
        return WriteTransaction.RunAsync(db, token =>
        {
            var reward = new Reward { Id = Guid.CreateVersion7(clock.GetUtcNow()), Name = "", Kind = definition.Kind, CodePrefix = "", ValidityDays = 1, UpdatedAt = default };
            Apply(reward, definition, clock.GetUtcNow());
            db.Rewards.Add(reward);
            return Task.FromResult(reward);
        }, ct);
    }

    public static Task<Reward> UpdateAsync(LoyaltyDbContext db, TimeProvider clock, Guid rewardId, RewardDefinition definition, CancellationToken ct = default)
    {
        RewardRules.Validate(definition);
        return WriteTransaction.RunAsync(db, async token =>
        {
            var reward = await db.Rewards.FirstOrDefaultAsync(r => r.Id == rewardId, token) ?? throw new RewardNotFoundException(rewardId);
            Apply(reward, definition, clock.GetUtcNow());
            return reward;
        }, ct);
    }

    private static void Apply(Reward r, RewardDefinition d, DateTimeOffset now)
    {
        r.Name = d.Name.Trim();
        r.Kind = d.Kind;
        r.PointsCost = d.PointsCost;
        r.Value = d.Value;
        r.ValuePerPoint = d.ValuePerPoint;
        r.MinPoints = d.MinPoints;
        r.MaxPoints = d.MaxPoints;
        r.CodePrefix = d.CodePrefix;
        r.ValidityDays = d.ValidityDays;
        r.Enabled = d.Enabled;
        r.UpdatedAt = now;
    }

    /// <summary>The program's rewards, cheapest first.</summary>
    public static async Task<IReadOnlyList<Reward>> ListAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        (await db.Rewards.AsNoTracking().ToListAsync(ct)).OrderBy(RewardRules.CheapestCost).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();

    /// <summary>Enabled rewards the member can afford with their approved points now, cheapest first.</summary>
    public static async Task<IReadOnlyList<Reward>> EligibleAsync(LoyaltyDbContext db, Guid memberId, CancellationToken ct = default)
    {
        var member = await MemberQueries.GetAsync(db, memberId, ct);
        if (member.Status == MemberStatus.Blocked)
            return [];
        var approved = (await MemberQueries.BalanceAsync(db, member.Id, ct))?.Approved ?? 0;
        return [.. (await ListAsync(db, ct)).Where(r => r.Enabled && RewardRules.CheapestCost(r) <= approved)];
    }

    /// <summary>
    /// Spends points on a reward and issues its coupon (the idempotency key is required: a retried request must not
    /// spend twice). Refusals: REWARD_NOT_FOUND, REWARD_DISABLED, INVALID_INPUT (points out of the reward's bounds),
    /// INSUFFICIENT_POINTS, MEMBER_BLOCKED, MEMBER_NOT_FOUND, and the store's refusal (STORE_COUPON_FAILED) when
    /// <paramref name="stores"/> creates coupons on a connected store (STORE_NOT_RESOLVED, STORE_PAUSED... see
    /// <see cref="IStoreCoupons"/>; the store side goes through <see cref="StoreCouponJournal"/>, so no free coupon is left
    /// on the store whatever fails, a crash included).
    /// </summary>
    public static async Task<RedeemPayload> RedeemAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, RedeemInput input, string? idempotencyKey, CancellationToken ct = default,
        IStoreCoupons? stores = null, ILogger? log = null)
    {
        stores ??= NoStoreCoupons.Instance;
        // A replay is answered before the journal (which asks the store seam to route the member, as it may now answer otherwise).
        if (await Idempotent.StoredAsync<RedeemInput, RedeemPayload>(db, RedeemOperation, idempotencyKey, input, ct) is { } replayed)
            return replayed;
        // The code prefix before the transaction (the journal reserves the code first); the attempt checks the reward again.
        var prefix = await db.Rewards.AsNoTracking().Where(r => r.Id == input.RewardId).Select(r => r.CodePrefix).FirstOrDefaultAsync(ct)
            ?? throw new RewardNotFoundException(input.RewardId);
        return await StoreCouponJournal.RunAsync(db, clock, stores, input.MemberId, prefix, log ?? NullLogger.Instance,
            reservation => RedeemOnceAsync(db, clock, actor, input, idempotencyKey, reservation, ct),
            payload => payload.Coupon.Code, ct);
    }

    private static Task<RedeemPayload> RedeemOnceAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, RedeemInput input, string? idempotencyKey, StoreCouponReservation reservation, CancellationToken ct) =>
        Idempotent.RunAsync(db, clock, RedeemOperation, idempotencyKey, keyRequired: true, input, async token =>
        {
            var now = clock.GetUtcNow();
            var reward = await db.Rewards.AsNoTracking().FirstOrDefaultAsync(r => r.Id == input.RewardId, token)
                ?? throw new RewardNotFoundException(input.RewardId);
            if (!reward.Enabled)
                throw new RewardDisabledException(reward.Id);
            var quote = RewardRules.Quote(reward, input.Points);
            var member = await MemberQueries.GetAsync(db, input.MemberId, token);
            var currency = (await db.CurrentProgramAsync(token)).Currency;
            var code = reservation.Code;
            var spent = await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
                member.Id, LedgerEntryKind.Redeem, -quote.Points, $"Reward: {reward.Name}", $"coupon:{code}"), idempotencyKey, token);
            var coupon = StageCoupon(db, member.Id, reward, code, quote, currency, spent.Entry.Id, actor, now);
            coupon.StoreCouponId = await reservation.CreateAsync(db,
                new StoreCoupon(coupon.Id, member.Id, member.Email, code, reward.Kind, quote.Value, currency, coupon.ExpiresAt), token);
            DomainEvents.Stage(db, EventTypes.PointsRedeemed, member.Id, new PointsRedeemedPayload(
                member.Id, member.Email, quote.Points, spent.Balance.Approved, code, reward.Name), now, now);
            DomainEvents.Stage(db, EventTypes.RewardIssued, member.Id, new RewardIssuedPayload(
                member.Id, member.Email, reward.Id, reward.Name, reward.Kind.ToString(), code, quote.Value, currency, coupon.ExpiresAt, quote.Points, spent.Balance.Approved), now, now);
            return new RedeemPayload(CouponView.Of(coupon), spent.Balance);
        }, ct);

    /// <summary>
    /// A coupon code of <paramref name="prefix"/> that no coupon and no store coupon reservation
    /// (<see cref="StoreCouponJournal"/>) of the program has (a clash is redrawn).
    /// </summary>
    internal static async Task<string> NewCouponCodeAsync(LoyaltyDbContext db, string prefix, CancellationToken ct)
    {
        string code;
        do code = RewardRules.NewCode(prefix);
        while (await db.Coupons.AnyAsync(c => c.Code == code, ct) || await db.StoreCouponIntents.AnyAsync(i => i.Code == code, ct));
        return code;
    }

    /// <summary>
    /// Stages an issued coupon of <paramref name="reward"/> inside the caller's attempt (no save). <paramref name="redeemEntryId"/>
    /// is the ledger entry that paid for it; null for a coupon given as a reward (it spent no points).
    /// </summary>
    internal static Coupon StageCoupon(
        LoyaltyDbContext db, Guid memberId, Reward reward, string code, RewardQuote quote, string currency, Guid? redeemEntryId, string actor, DateTimeOffset now)
    {
        var coupon = new Coupon
        {
            Id = Guid.CreateVersion7(now),
            MemberId = memberId,
            RewardId = reward.Id,
            Code = code,
            Kind = reward.Kind,
            Value = quote.Value,
            Currency = currency,
            PointsSpent = redeemEntryId is null ? 0 : quote.Points,
            Status = CouponStatus.Issued,
            IssuedAt = now,
            ExpiresAt = now.AddDays(reward.ValidityDays),
            RedeemEntryId = redeemEntryId,
            Actor = actor,
        };
        db.Coupons.Add(coupon);
        return coupon;
    }

    /// <summary>
    /// Marks the program's issued coupons whose validity has ended as Expired, in one set-based statement (bumping
    /// their version, so a store reporting one at the same moment retries and finds it expired). Returns how many; a
    /// rerun changes none. Points are not restored: an expired coupon's value is gone unless staff compensate.
    /// </summary>
    public static Task<int> ExpireCouponsAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        return db.Coupons
            .Where(c => c.Status == CouponStatus.Issued && c.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CouponStatus.Expired).SetProperty(c => c.Version, c => c.Version + 1), ct);
    }

    /// <summary>
    /// Marks a coupon used on an order (what a store reports at checkout): status Used, a <c>coupon.used</c> event.
    /// The same order reported again changes nothing; another order is refused (COUPON_ALREADY_USED), as are an
    /// unknown code (COUPON_NOT_FOUND) and a cancelled or expired coupon (COUPON_NOT_USABLE). Codes are compared
    /// case-insensitively (they are issued in upper case).
    /// </summary>
    public static Task<CouponView> MarkUsedAsync(LoyaltyDbContext db, TimeProvider clock, string code, string orderReference, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(orderReference) || orderReference.Trim().Length > 200)
            throw new InvalidInputException("orderReference", "The order reference is required (at most 200 characters).");
        var normalized = code.Trim().ToUpperInvariant();
        var order = orderReference.Trim();
        return WriteTransaction.RunAsync(db, async token =>
        {
            var now = clock.GetUtcNow();
            var coupon = await db.Coupons.FirstOrDefaultAsync(c => c.Code == normalized, token) ?? throw new CouponNotFoundException(normalized);
            if (coupon.Status == CouponStatus.Used)
                return coupon.UsedOnOrder == order ? CouponView.Of(coupon) : throw new CouponAlreadyUsedException(coupon.Code);
            if (coupon.Status != CouponStatus.Issued || coupon.ExpiresAt <= now)
                throw new CouponNotUsableException(coupon.Code, coupon.ExpiresAt <= now ? "expired" : coupon.Status.ToString().ToLowerInvariant());
            coupon.Status = CouponStatus.Used;
            coupon.UsedAt = now;
            coupon.UsedOnOrder = order;
            coupon.Version++;
            var member = await MemberQueries.GetAsync(db, coupon.MemberId, token);
            DomainEvents.Stage(db, EventTypes.CouponUsed, member.Id, new CouponUsedPayload(member.Id, member.Email, coupon.Code, coupon.Kind.ToString(), coupon.Value, coupon.Currency, order), now, now);
            return CouponView.Of(coupon);
        }, ct);
    }

    /// <summary>
    /// Gives a coupon's use on <paramref name="orderReference"/> back (the store cancelled that order and counts the code
    /// unused again, as WooCommerce does): Used on that order becomes Issued again. False when it was not used on that
    /// order (unknown code, another order, never used): nothing changes.
    /// </summary>
    public static Task<bool> ReleaseUseAsync(LoyaltyDbContext db, TimeProvider clock, string code, string orderReference, CancellationToken ct = default)
    {
        var normalized = code.Trim().ToUpperInvariant();
        var order = orderReference.Trim();
        return WriteTransaction.RunAsync(db, async token =>
        {
            var coupon = await db.Coupons.FirstOrDefaultAsync(c => c.Code == normalized, token);
            if (coupon is not { Status: CouponStatus.Used } || coupon.UsedOnOrder != order)
                return false;
            coupon.Status = CouponStatus.Issued;
            coupon.UsedAt = null;
            coupon.UsedOnOrder = null;
            coupon.Version++;
            return true;
        }, ct);
    }

    /// <summary>Coupons issued and coupons used, per member (one query for a whole page of members).</summary>
    public static async Task<Dictionary<Guid, (int Claimed, int Used)>> CountsAsync(LoyaltyDbContext db, IReadOnlyCollection<Guid> memberIds, CancellationToken ct = default) =>
        (await db.Coupons.AsNoTracking().Where(c => memberIds.Contains(c.MemberId))
            .GroupBy(c => c.MemberId)
            .Select(g => new { g.Key, Claimed = g.Count(), Used = g.Count(c => c.Status == CouponStatus.Used) })
            .ToListAsync(ct))
        .ToDictionary(x => x.Key, x => (x.Claimed, x.Used));

    /// <summary>The member's coupons, newest first.</summary>
    public static IQueryable<Coupon> CouponsOf(LoyaltyDbContext db, Guid memberId) =>
        db.Coupons.AsNoTracking().Where(c => c.MemberId == memberId).OrderByDescending(c => c.IssuedAt).ThenByDescending(c => c.Id);
}
