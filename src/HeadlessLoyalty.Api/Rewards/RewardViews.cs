namespace HeadlessLoyalty.Api.Rewards;

public sealed record RedeemInput(Guid MemberId, Guid RewardId, long? Points = null);

public sealed record CouponView(
    Guid Id, Guid MemberId, Guid RewardId, string Code, RewardKind Kind, decimal? Value, string Currency, long PointsSpent,
    CouponStatus Status, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt)
{
    public static CouponView Of(Coupon c) => new(c.Id, c.MemberId, c.RewardId, c.Code, c.Kind, c.Value, c.Currency, c.PointsSpent, c.Status, c.IssuedAt, c.ExpiresAt, c.UsedAt);
}

public sealed record RedeemPayload(CouponView Coupon, Points.BalanceView Balance);
