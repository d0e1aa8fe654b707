namespace HeadlessLoyalty.Api.Events;

// What a message template needs, per event type. Every payload names the member (id and email); amounts are in the
// program's currency; balances are the approved (spendable) points right after the change.

/// <summary>member.enrolled, member.updated, member.blocked.</summary>
public sealed record MemberEventPayload(Guid MemberId, string Email, string? FirstName, string? LastName, string MemberCode, string Status);

/// <summary>points.earned: an earned or bonus credit that is now spendable.</summary>
public sealed record PointsEarnedPayload(Guid MemberId, string Email, long Points, long BalanceAfter, string Kind, string? Reason, string? SourceReference);

/// <summary>order.awarded: a recorded purchase and what it earned (pending until its return window has passed).</summary>
public sealed record OrderAwardedPayload(
    Guid MemberId, string Email, string Channel, string? StoreId, string OrderReference, decimal Amount, string Currency,
    long PointsEarned, long WelcomeBonus, bool Pending, long BalanceAfter);

/// <summary>order.reversed: a refund and the points it took back.</summary>
public sealed record OrderReversedPayload(
    Guid MemberId, string Email, string Channel, string? StoreId, string OrderReference, decimal RefundAmount, decimal RefundedTotal,
    bool FullRefund, long PointsTakenBack, long BalanceAfter, string Currency);

/// <summary>points.redeemed: points spent on a reward.</summary>
public sealed record PointsRedeemedPayload(Guid MemberId, string Email, long Points, long BalanceAfter, string CouponCode, string RewardName);

/// <summary>reward.issued: a coupon issued for points.</summary>
public sealed record RewardIssuedPayload(
    Guid MemberId, string Email, Guid RewardId, string RewardName, string Kind, string CouponCode, decimal? Value, string Currency,
    DateTimeOffset ExpiresAt, long PointsSpent, long BalanceAfter);

/// <summary>birthday.in_7_days and birthday.today: the birthday's date this year, the age when the year of birth is known, and the points the birthday reward gave (0 before the day or without a birthday rule).</summary>
public sealed record BirthdayPayload(Guid MemberId, string Email, string? FirstName, DateOnly Birthday, int? Age, long PointsAwarded);

/// <summary>coupon.used: a coupon issued for points was used on an order.</summary>
public sealed record CouponUsedPayload(Guid MemberId, string Email, string CouponCode, string Kind, decimal? Value, string Currency, string OrderReference);

/// <summary>points.eligible_for_reward: the approved balance just reached the cheapest enabled reward's cost (once per crossing).</summary>
public sealed record EligibleForRewardPayload(Guid MemberId, string Email, long Balance, Guid RewardId, string RewardName, long RewardCost);

/// <summary>
/// referral.friend_first_purchase, addressed to the referrer (MemberId, Email): the friend's first qualifying purchase,
/// after its return window, and what the friend received for it (points, or a coupon code; 0 / null when nothing).
/// </summary>
public sealed record ReferralFriendPurchasePayload(
    Guid MemberId, string Email, Guid FriendId, string FriendEmail, string OrderReference, decimal Amount, string Currency,
    long FriendPoints, string? FriendCouponCode);

/// <summary>referral.referrer_rewarded_with_points: the referrer received points for a friend's first purchase.</summary>
public sealed record ReferrerRewardedWithPointsPayload(Guid MemberId, string Email, Guid FriendId, string FriendEmail, long Points, long BalanceAfter);

/// <summary>referral.referrer_rewarded_with_coupon: the referrer received a coupon (no points spent) for a friend's first purchase.</summary>
public sealed record ReferrerRewardedWithCouponPayload(
    Guid MemberId, string Email, Guid FriendId, string FriendEmail, Guid RewardId, string RewardName, string Kind, string CouponCode,
    decimal? Value, string Currency, DateTimeOffset ExpiresAt);

/// <summary>points.expired: the points of a member that lapsed in one expiry run (lot dates or inactivity).</summary>
public sealed record PointsExpiredPayload(Guid MemberId, string Email, long Points, long BalanceAfter, DateTimeOffset ExpiredAt);

/// <summary>
/// points.expire_in_30_days, points.expire_in_7_days, points.expire_in_3_days: points lapsing at <c>ExpiresAt</c>
/// (the start of the day after <c>ValidThrough</c>, the last day they can be used, in the program's time zone).
/// </summary>
public sealed record PointsExpiringPayload(Guid MemberId, string Email, long Points, DateTimeOffset ExpiresAt, string ValidThrough, int DaysBefore, long Balance);

/// <summary>
/// tier.achieved, tier.downgraded and tier.reset: the tier now held (null names no tier: the program has no entry
/// tier), the one before, the qualifying metric (Spend or PointsEarned) and its total that decided, and when the new
/// tier's period ends (null for the entry tier, which does not lapse).
/// </summary>
public sealed record TierChangedPayload(
    Guid MemberId, string Email, Guid? TierId, string? TierName, string? PreviousTierName, string Metric, decimal Progress, DateTimeOffset? ExpiresAt);

/// <summary>
/// tier.reset_in_4_weeks, tier.reset_in_2_weeks and tier.reset_in_1_day: the member's tier ends its period at
/// ExpiresAt and, unless the metric reaches ProgressNeededToRenew more by then, becomes TierNameAfter (null: no tier).
/// </summary>
public sealed record TierResetWarningPayload(
    Guid MemberId, string Email, string TierName, string? TierNameAfter, DateTimeOffset ExpiresAt, string Metric, decimal Progress,
    decimal ProgressNeededToRenew, string PeriodEndPolicy);

/// <summary>webhook.disabled: a webhook subscription failed too often in a row and stopped; <c>Cursor</c> is the last position it delivered (it resumes after it once enabled).</summary>
public sealed record WebhookDisabledPayload(Guid SubscriptionId, string Url, string Reason, int ConsecutiveFailures, long Cursor);
