using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Rewards;

/// <summary>What a store needs to create a redeemed coupon: single use, for this member's email, worth this much.</summary>
public sealed record StoreCoupon(
    Guid CouponId, Guid MemberId, string Email, string Code, RewardKind Kind, decimal? Value, string Currency, DateTimeOffset ExpiresAt);

/// <summary>
/// The store side of <c>redeemCoupon</c>: the seam the store connections (WooCommerce, Shopify) fill. The contract
/// that keeps points and coupons consistent:
/// <list type="bullet">
/// <item><see cref="CreateAsync"/> runs inside the redemption's transaction, after the points are staged and before
/// they commit. Throwing (a <see cref="LoyaltyException"/> such as <see cref="StoreCouponFailedException"/>, or a
/// paused store's own error) deducts nothing and issues nothing.</item>
/// <item>A coupon created for an attempt that then does not commit (a lost race retried, a failed save) is removed
/// with <see cref="DeleteAsync"/>: no free coupon is left on the store. (A process that dies between the store's
/// answer and the commit leaves one behind: the store connection's reconciliation removes coupons no issued coupon
/// names.)</item>
/// <item>Null from <see cref="CreateAsync"/>: the coupon lives here only (no connected store; a headless storefront
/// checks codes through the API and reports their use).</item>
/// </list>
/// </summary>
public interface IStoreCoupons
{
    /// <summary>Creates the coupon on the member's store; its id there, or null when there is no store to create it on.</summary>
    Task<string?> CreateAsync(StoreCoupon coupon, CancellationToken ct);

    /// <summary>
    /// Removes a coupon <see cref="CreateAsync"/> created (id <paramref name="storeCouponId"/>) whose redemption did not
    /// commit. A failure here does not fail the redemption: log it; reconciliation removes the coupon later.
    /// </summary>
    Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct);
}

/// <summary>No connected store takes coupons: every coupon lives in the program only.</summary>
public sealed class NoStoreCoupons : IStoreCoupons
{
    public static NoStoreCoupons Instance { get; } = new();

    public Task<string?> CreateAsync(StoreCoupon coupon, CancellationToken ct) => Task.FromResult<string?>(null);

    public Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>The store refused or could not be reached: nothing was deducted (the redemption can be retried).</summary>
public sealed class StoreCouponFailedException(string reason)
    : LoyaltyException(ErrorCodes.StoreCouponFailed, $"The store could not create the coupon: {reason}. No points were deducted.");
