namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// The catalog of loyalty events, named once (<c>../shared/reference/loyalty-domain.md</c>). Producers that exist
/// today are marked; the others are declared so that consumers can subscribe to the whole catalog and the producers
/// arrive with their features.
/// </summary>
public static class EventTypes
{
    // Members (produced by MemberOperations)
    public const string MemberEnrolled = "member.enrolled";
    public const string MemberUpdated = "member.updated";
    public const string MemberBlocked = "member.blocked";

    // Points (points.earned produced by PointsOperations when an earned or bonus credit becomes spendable; points.eligible_for_reward
    // by PointsOperations through RewardEligibility when the approved balance crosses the cheapest enabled reward's cost)
    public const string PointsEarned = "points.earned";
    public const string EligibleForReward = "points.eligible_for_reward";
    public const string PointsRedeemed = "points.redeemed";
    public const string PointsRedeemedAtPos = "points.redeemed_at_pos";
    public const string PointsExpireIn30Days = "points.expire_in_30_days";
    public const string PointsExpireIn7Days = "points.expire_in_7_days";
    public const string PointsExpireIn3Days = "points.expire_in_3_days";
    public const string PointsExpired = "points.expired";

    // points.adjusted: an approved balance change that no other points event reports. Produced by PointsOperations for
    // every Adjustment entry (the admin adjustPoints mutation, either sign; Cause "admin") and by CheckoutOperations when
    // the checkout-discount-expiry job returns the points of a checkout discount that ended unused (Cause "checkout_return").
    // Not for earned or bonus credits (points.earned), spending (points.redeemed, points.redeemed_at_pos), expiry
    // (points.expired) or a refunded order's reversal (order.reversed), which have their own events.
    public const string PointsAdjusted = "points.adjusted";

    // Orders (produced by PurchaseOperations)
    public const string OrderAwarded = "order.awarded";
    public const string OrderReversed = "order.reversed";

    // Tiers
    public const string TierAchieved = "tier.achieved";
    public const string TierDowngraded = "tier.downgraded";
    public const string TierReset = "tier.reset";
    public const string TierResetIn4Weeks = "tier.reset_in_4_weeks";
    public const string TierResetIn2Weeks = "tier.reset_in_2_weeks";
    public const string TierResetIn1Day = "tier.reset_in_1_day";

    // Birthdays
    public const string BirthdayIn7Days = "birthday.in_7_days";
    public const string BirthdayToday = "birthday.today";

    // Referrals (produced by ReferralOperations when a referred friend's first qualifying purchase has its points approved)
    public const string ReferrerRewardedWithCoupon = "referral.referrer_rewarded_with_coupon";
    public const string ReferrerRewardedWithPoints = "referral.referrer_rewarded_with_points";
    public const string ReferredFriendFirstPurchase = "referral.friend_first_purchase";

    // Rewards and coupons
    public const string RewardIssued = "reward.issued";
    public const string CouponUsed = "coupon.used";

    // Operations (produced by WebhookDispatcher when a webhook subscription is disabled after failing; no member)
    public const string WebhookDisabled = "webhook.disabled";

    public static IReadOnlyList<string> All { get; } =
    [
        MemberEnrolled, MemberUpdated, MemberBlocked,
        PointsEarned, EligibleForReward, PointsRedeemed, PointsRedeemedAtPos, PointsExpireIn30Days, PointsExpireIn7Days, PointsExpireIn3Days, PointsExpired, PointsAdjusted,
        OrderAwarded, OrderReversed,
        TierAchieved, TierDowngraded, TierReset, TierResetIn4Weeks, TierResetIn2Weeks, TierResetIn1Day,
        BirthdayIn7Days, BirthdayToday,
        ReferrerRewardedWithCoupon, ReferrerRewardedWithPoints, ReferredFriendFirstPurchase,
        RewardIssued, CouponUsed,
        WebhookDisabled,
    ];
}
