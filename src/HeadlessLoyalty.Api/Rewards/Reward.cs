using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Rewards;

public enum RewardKind { FixedAmountCoupon, PercentageCoupon, FreeShipping, PointsDiscount }

/// <summary>
/// What a member can turn points into: a coupon of a fixed amount, a percentage or free shipping for a fixed number
/// of points, or a points-to-discount conversion where the member chooses how many points (within bounds) to spend.
/// </summary>
public sealed class Reward : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required string Name { get; set; }
    public required RewardKind Kind { get; set; }
    /// <summary>Points a fixed reward costs (FixedAmountCoupon, PercentageCoupon, FreeShipping); 0 for PointsDiscount.</summary>
    public long PointsCost { get; set; }
    /// <summary>The coupon's amount (FixedAmountCoupon, program currency) or percent (PercentageCoupon); null otherwise.</summary>
    public decimal? Value { get; set; }
    /// <summary>PointsDiscount: currency value of one point (e.g. 0.05), and the bounds of one redemption.</summary>
    public decimal? ValuePerPoint { get; set; }
    public long? MinPoints { get; set; }
    public long? MaxPoints { get; set; }
    /// <summary>Coupon codes are <c>PREFIX-XXXXXXXX</c>.</summary>
    public required string CodePrefix { get; set; }
    /// <summary>Days a coupon stays valid, 1 to 90.</summary>
    public required int ValidityDays { get; set; }
    public bool Enabled { get; set; } = true;
    public required DateTimeOffset UpdatedAt { get; set; }
}
