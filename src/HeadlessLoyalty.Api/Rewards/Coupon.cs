using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Rewards;

public enum CouponStatus { Issued, Used, Expired, Cancelled }

/// <summary>
/// A coupon issued for points, unique by code in the program. The points were deducted in the same transaction
/// (<see cref="RedeemEntryId"/>); a coupon given as a reward (a referral) cost none and has no redeem entry.
/// <see cref="StoreCouponId"/>: the store's id for it, when a store connection created it there (<see cref="IStoreCoupons"/>).
/// </summary>
public sealed class Coupon : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid MemberId { get; init; }
    public required Guid RewardId { get; init; }
    public required string Code { get; init; }
    public required RewardKind Kind { get; init; }
    /// <summary>Amount (program currency) or percent; null for free shipping.</summary>
    public decimal? Value { get; init; }
    public required string Currency { get; init; }
    public required long PointsSpent { get; init; }
    public required CouponStatus Status { get; set; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
    public Guid? RedeemEntryId { get; init; }
    /// <summary>Who redeemed: the member (storefront) or staff on their behalf (<c>pos:...</c>, <c>admin:...</c>).</summary>
    public required string Actor { get; init; }
    public string? StoreCouponId { get; set; }
    /// <summary>The order it was used on.</summary>
    public string? UsedOnOrder { get; set; }
    /// <summary>Concurrency token: two stores reporting the same coupon at once cannot both use it.</summary>
    public long Version { get; set; }
}
