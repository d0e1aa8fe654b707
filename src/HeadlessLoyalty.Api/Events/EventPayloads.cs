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
