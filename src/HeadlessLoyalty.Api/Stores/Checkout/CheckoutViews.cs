using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Rewards;

namespace HeadlessLoyalty.Api.Stores.Checkout;

/// <summary>Where a checkout discount stands: applied (usable on the store), used on an order, or returned (expired unused, points given back).</summary>
public enum CheckoutDiscountStatus { Applied, Used, Returned }

public sealed record CheckoutDiscountView(
    Guid Id, Guid ConnectionId, Guid MemberId, string Code, long Points, decimal Value, string Currency,
    CheckoutDiscountStatus Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? OrderReference, DateTimeOffset? UsedAt, DateTimeOffset? ReturnedAt)
{
    public static CheckoutDiscountView Of(CheckoutDiscount d, Coupon c) => new(
        d.Id, d.ConnectionId, d.MemberId, d.Code, d.Points, d.Value, d.Currency,
        d.State == CheckoutDiscountState.Returned ? CheckoutDiscountStatus.Returned
            : c.Status == CouponStatus.Used ? CheckoutDiscountStatus.Used : CheckoutDiscountStatus.Applied,
        d.CreatedAt, d.ExpiresAt, c.UsedOnOrder, c.UsedAt, d.ReturnedAt);
}

/// <summary>What the checkout snippet shows: the balance, what it is worth on this store, and how much one discount may take.</summary>
public sealed record CheckoutQuote(
    Guid MemberId, Guid ConnectionId, long Balance, decimal Worth, string Currency, decimal PointValue, long MinPoints, long? MaxPoints,
    long MaxRedeemablePoints, decimal MaxRedeemableWorth, IReadOnlyList<CheckoutDiscountView> OpenDiscounts);

public sealed record ApplyCheckoutInput(Guid MemberId, Guid? ConnectionId, long Points);

public sealed record ApplyCheckoutPayload(CheckoutDiscountView Discount, BalanceView Balance);
