using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Rewards;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Referrals;

/// <summary>
/// Referrals. Every member gets a share code in their enrollment transaction; a friend who enrolls with it is
/// recorded as referred. The friend's first qualifying purchase rewards both sides once, at the moment that
/// purchase's points are approved (completion without a return window, or the pending-approval job after it): a
/// purchase refunded within its return window never rewards anybody, so ordering and refunding cannot farm rewards,
/// and the amount that counts is what was kept. Refunds after approval take back the purchase's points, not the
/// referral rewards. The rewards are approved at once (they wait for nothing else).
/// </summary>
public static class ReferralOperations
{
    public const string SystemActor = "system:referrals";

    public static Task<ReferralSettings> GetSettingsAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        db.ReferralRules.ReadOrDefaultAsync(r => r.ToSettings(), ReferralSettings.Default, ct);

    /// <summary>Replaces the program's referral settings: INVALID_INPUT naming the field, REWARD_NOT_FOUND naming the reward setting.</summary>
    public static Task<ReferralSettings> UpdateSettingsAsync(LoyaltyDbContext db, TimeProvider clock, ReferralSettings settings, CancellationToken ct = default)
    {
        var valid = ReferralRules.Validate(settings);
        return WriteTransaction.RunAsync(db, async token =>
        {
            foreach (var (rewardId, field) in new[] { (valid.ReferrerRewardId, "referrerRewardId"), (valid.FriendRewardId, "friendRewardId") })
            {
                if (rewardId is { } id && !await db.Rewards.AnyAsync(r => r.Id == id, token))
                    throw new ReferralRewardNotFoundException(id, field);
            }
            var row = await db.ReferralRules.TrackedOrNewAsync(() => new ProgramReferralRules(), token);
            row.CopyFrom(valid, clock.GetUtcNow());
            return valid;
        }, ct);
    }

    /// <summary>
    /// Stages the new member's referral row inside the enrollment attempt: a fresh share code and, with
    /// <paramref name="referralCode"/>, the referrer. An unknown code is REFERRAL_CODE_NOT_FOUND, a code of the same
    /// person (same mailbox, see <see cref="ReferralRules.IsSelfReferral"/>) SELF_REFERRAL; both refuse the whole
    /// enrollment, so nothing is created.
    /// </summary>
    internal static async Task<MemberReferral> StageEnrollmentAsync(
        LoyaltyDbContext db, Member member, string? referralCode, DateTimeOffset now, CancellationToken ct)
    {
        Guid? referrerId = null;
        if (!string.IsNullOrWhiteSpace(referralCode))
        {
            var code = MemberRules.NormalizeCode(referralCode);
            var referrer = await db.MemberReferrals.AsNoTracking().Where(r => r.Code == code)
                .Join(db.Members, r => r.MemberId, m => m.Id, (r, m) => new { m.Id, m.Email })
                .FirstOrDefaultAsync(ct) ?? throw new ReferralCodeNotFoundException(code.Length > 32 ? code[..32] : code);
            if (referrer.Id == member.Id || ReferralRules.IsSelfReferral(member.Email, referrer.Email))
                throw new SelfReferralException();
            referrerId = referrer.Id;
        }
        var row = new MemberReferral
        {
            MemberId = member.Id,
            Code = await NewCodeAsync(db, ct),
            ReferrerId = referrerId,
            ReferredAt = referrerId is null ? null : now,
            Status = referrerId is null ? null : ReferralStatus.Pending,
        };
        db.MemberReferrals.Add(row);
        return row;
    }

    private static async Task<string> NewCodeAsync(LoyaltyDbContext db, CancellationToken ct)
    {
        string code;
        do code = MemberRules.NewMemberCode();
        while (await db.MemberReferrals.AnyAsync(r => r.Code == code, ct));
        return code;
    }

    /// <summary>
    /// Called inside the transaction that approves <paramref name="purchase"/>'s points. When the buyer was referred,
    /// has not been rewarded yet and the purchase qualifies, rewards the friend and the referrer and stages
    /// referral.friend_first_purchase and referral.referrer_rewarded_with_points / _with_coupon. Once only: the
    /// referral row is marked in the same transaction and its concurrency token makes a concurrent approval retry
    /// and find it settled. A blocked friend is not rewarded now (a later purchase may qualify after the unblock); a
    /// blocked referrer's reward is withheld while the friend's is given; a referral found to be a self-referral
    /// (an email changed since enrollment) is settled as Refused with no reward.
    /// </summary>
    internal static async Task StageQualifyingPurchaseAsync(LoyaltyDbContext db, TimeProvider clock, Purchase purchase, CancellationToken ct)
    {
        var referral = await db.MemberReferrals.FirstOrDefaultAsync(r => r.MemberId == purchase.MemberId, ct);
        if (referral is not { ReferrerId: { } referrerId, Status: ReferralStatus.Pending })
            return;
        var settings = await GetSettingsAsync(db, ct);
        if (!ReferralRules.Qualifies(settings, purchase.Amount, purchase.RefundedAmount))
            return;
        var friend = await MemberQueries.GetAsync(db, purchase.MemberId, ct);
        if (friend.Status == MemberStatus.Blocked)
            return;
        var referrer = await MemberQueries.GetAsync(db, referrerId, ct);
        var now = clock.GetUtcNow();
        referral.SettledAt = now;
        referral.QualifyingPurchaseId = purchase.Id;
        referral.Version++;
        if (ReferralRules.IsSelfReferral(friend.Email, referrer.Email))
        {
            referral.Status = ReferralStatus.Refused;
            return;
        }
        referral.Status = ReferralStatus.Rewarded;
        var currency = purchase.Currency;

        var friendGift = await GiveAsync(db, clock, friend, settings.FriendRewardKind, settings.FriendPoints, settings.FriendRewardId,
            "Referral reward: welcome, referred friend", $"referral:{referrerId}", currency, now, ct);
        DomainEvents.Stage(db, EventTypes.ReferredFriendFirstPurchase, referrer.Id, new ReferralFriendPurchasePayload(
            referrer.Id, referrer.Email, friend.Id, friend.Email, purchase.OrderReference, purchase.Amount - purchase.RefundedAmount, currency,
            friendGift.Points, friendGift.Coupon?.Code), now, now);

        if (referrer.Status == MemberStatus.Blocked)
        {
            referral.ReferrerRewardWithheld = settings.ReferrerRewardKind != ReferralRewardKind.None;
            return;
        }
        var gift = await GiveAsync(db, clock, referrer, settings.ReferrerRewardKind, settings.ReferrerPoints, settings.ReferrerRewardId,
            "Referral reward: a referred friend's first purchase", $"referral:{friend.Id}", currency, now, ct);
        if (gift.Points > 0)
            DomainEvents.Stage(db, EventTypes.ReferrerRewardedWithPoints, referrer.Id, new ReferrerRewardedWithPointsPayload(
                referrer.Id, referrer.Email, friend.Id, friend.Email, gift.Points, gift.BalanceAfter), now, now);
        if (gift is { Coupon: { } coupon, Reward: { } reward })
            DomainEvents.Stage(db, EventTypes.ReferrerRewardedWithCoupon, referrer.Id, new ReferrerRewardedWithCouponPayload(
                referrer.Id, referrer.Email, friend.Id, friend.Email, reward.Id, reward.Name, reward.Kind.ToString(), coupon.Code,
                coupon.Value, coupon.Currency, coupon.ExpiresAt), now, now);
    }

    private sealed record Gift(long Points, long BalanceAfter, Coupon? Coupon, Reward? Reward);

    /// <summary>Credits approved points (a Bonus entry) or issues a coupon of the reward without spending points.</summary>
    private static async Task<Gift> GiveAsync(
        LoyaltyDbContext db, TimeProvider clock, Member member, ReferralRewardKind kind, long points, Guid? rewardId, string reason, string source,
        string currency, DateTimeOffset now, CancellationToken ct)
    {
        switch (kind)
        {
            case ReferralRewardKind.Points when points > 0:
                var posted = await PointsOperations.StagePostAsync(db, clock, SystemActor, new PostPointsInput(
                    member.Id, LedgerEntryKind.Bonus, points, reason, source), null, ct);
                return new Gift(points, posted.Balance.Approved, null, null);
            case ReferralRewardKind.Coupon when rewardId is { } id && await db.Rewards.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } reward:
                var code = await RewardOperations.NewCouponCodeAsync(db, reward.CodePrefix, ct);
                var coupon = RewardOperations.StageCoupon(db, member.Id, reward, code, RewardRules.Quote(reward, null), currency, null, SystemActor, now);
                return new Gift(0, 0, coupon, reward);
            default:
                return new Gift(0, 0, null, null);
        }
    }

    /// <summary>Referral rows of the given members (one query for a page of members).</summary>
    public static async Task<Dictionary<Guid, MemberReferral>> OfMembersAsync(LoyaltyDbContext db, IReadOnlyCollection<Guid> memberIds, CancellationToken ct = default) =>
        await db.MemberReferrals.AsNoTracking().Where(r => memberIds.Contains(r.MemberId)).ToDictionaryAsync(r => r.MemberId, ct);

    /// <summary>Friends each member referred, and of those the ones whose first purchase rewarded the referral (one grouped query).</summary>
    public static async Task<Dictionary<Guid, (int Referred, int Rewarded)>> CountsAsync(LoyaltyDbContext db, IReadOnlyCollection<Guid> memberIds, CancellationToken ct = default) =>
        (await db.MemberReferrals.AsNoTracking().Where(r => r.ReferrerId != null && memberIds.Contains(r.ReferrerId.Value))
            .GroupBy(r => r.ReferrerId!.Value)
            .Select(g => new { g.Key, Referred = g.Count(), Rewarded = g.Count(r => r.Status == ReferralStatus.Rewarded) })
            .ToListAsync(ct))
        .ToDictionary(x => x.Key, x => (x.Referred, x.Rewarded));

    /// <summary>
    /// Gives a share code to every member without a referral row, in every program: members enrolled before referrals
    /// existed, or inserted without <see cref="MemberOperations.EnrollAsync"/> (the demo seed). Run by the migrator after
    /// the migrations (and after the demo seed), on a context without a tenant; random unique codes cannot be drawn
    /// portably in a SQL migration.
    /// A code clash (or a concurrent back-fill) rolls the batch back and draws again. Returns how many were added.
    /// </summary>
    public static async Task<int> BackfillCodesAsync(LoyaltyDbContext db, int batchSize = 500, CancellationToken ct = default)
    {
        var added = 0;
        while (true)
        {
            var batch = await WriteTransaction.RunAsync(db, async token =>
            {
                var missing = await db.Members.IgnoreQueryFilters()
                    .Where(m => !db.MemberReferrals.IgnoreQueryFilters().Any(r => r.MemberId == m.Id))
                    .OrderBy(m => m.Id).Take(batchSize)
                    .Select(m => new { m.Id, m.ProgramId }).ToListAsync(token);
                var drawn = new HashSet<(Guid, string)>();
                foreach (var m in missing)
                {
                    string code;
                    do code = MemberRules.NewMemberCode();
                    while (!drawn.Add((m.ProgramId, code)));
                    db.MemberReferrals.Add(new MemberReferral { MemberId = m.Id, ProgramId = m.ProgramId, Code = code });
                }
                return missing.Count;
            }, ct);
            added += batch;
            if (batch < batchSize)
                return added;
        }
    }
}
