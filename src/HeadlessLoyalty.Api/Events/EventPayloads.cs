using System.Text.Json.Serialization;

namespace HeadlessLoyalty.Api.Events;

// What a message template needs, per event type. Every payload names the member (id and email); amounts are in the
// program's currency; balances are the approved (spendable) points right after the change.

/// <summary>
/// member.enrolled, member.updated, member.blocked. A member.updated sent by the <c>segments</c> job also says what
/// changed: <see cref="ChangedFields"/> <c>["segment"]</c> and <see cref="Segment"/> (the segment before and after).
/// Both are left out of the JSON when null, so every other member event reads exactly as before.
/// </summary>
public sealed record MemberEventPayload(Guid MemberId, string Email, string? FirstName, string? LastName, string MemberCode, string Status)
{
    /// <summary>The member fields (GraphQL names) this event changed, when the sender knows them; null: not said.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? ChangedFields { get; init; }

    /// <summary>A segment change (<c>Loyal</c>, <c>AtRisk</c>, <c>WinBack</c>; null: no segment); null when the segment did not change.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SegmentChangePayload? Segment { get; init; }
}

/// <summary>The segment a member left (<c>From</c>) and entered (<c>To</c>); null names no segment.</summary>
public sealed record SegmentChangePayload(string? From, string? To);

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
/// points.adjusted: an approved balance change no other points event reports. <c>PointsDelta</c> is signed (negative:
/// points taken away); <c>Cause</c> is one of <see cref="PointsAdjustedCauses"/>.
/// </summary>
public sealed record PointsAdjustedPayload(Guid MemberId, string Email, long PointsDelta, long BalanceAfter, string Cause, string? Reason, string? SourceReference);

/// <summary>What caused a points.adjusted (its payload's <c>Cause</c>).</summary>
public static class PointsAdjustedCauses
{
    /// <summary>An Adjustment entry: staff or a service changed the balance by hand (adjustPoints).</summary>
    public const string Admin = "admin";

    /// <summary>The checkout-discount-expiry job returned the points of a checkout discount that ended unused.</summary>
    public const string CheckoutReturn = "checkout_return";
}

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

/// <summary>
/// points.redeemed_at_pos: points spent at a point of sale (redeemAtPos): the
/// store and till location, the POS transaction's reference and what the points paid for.
/// </summary>
public sealed record PointsRedeemedAtPosPayload(
    Guid MemberId, string Email, long Points, long BalanceAfter, string? StoreId, string? LocationId, string TransactionReference, decimal? Value, string Currency);

/// <summary>webhook.disabled: a webhook subscription failed too often in a row and stopped; <c>Cursor</c> is the last position it delivered (it resumes after it once enabled).</summary>
public sealed record WebhookDisabledPayload(Guid SubscriptionId, string Url, string Reason, int ConsecutiveFailures, long Cursor);
