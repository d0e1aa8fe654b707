using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Rewards;

/// <summary>What a store needs to create a redeemed coupon: single use, for this member's email, worth this much.</summary>
public sealed record StoreCoupon(
    Guid CouponId, Guid MemberId, string Email, string Code, RewardKind Kind, decimal? Value, string Currency, DateTimeOffset ExpiresAt);

/// <summary>
/// The store side of a redemption (<c>redeemCoupon</c>, points at checkout): the seam the store connections
/// (WooCommerce, Shopify) fill. <see cref="StoreCouponJournal"/> drives it so that points and coupons stay consistent:
/// <list type="bullet">
/// <item><see cref="TargetAsync"/> runs before the redemption's transaction and names the store the coupon goes to; the
/// journal commits the intent (code, target) before the store is called, so even a process that dies between the
/// store's answer and the commit leaves a trace that <see cref="DeleteByCodeAsync"/> later resolves.</item>
/// <item><see cref="CreateAsync"/> runs inside the transaction, after the points are staged and before they commit.
/// Throwing (a <see cref="LoyaltyException"/> such as <see cref="StoreCouponFailedException"/>, or a paused store's own
/// error) deducts nothing and issues nothing.</item>
/// <item>A coupon created for a redemption that then does not commit is removed with <see cref="DeleteAsync"/>.</item>
/// </list>
/// </summary>
public interface IStoreCoupons
{
    /// <summary>
    /// The store a coupon for <paramref name="memberId"/> is created on (an opaque key this implementation understands,
    /// at most <see cref="StoreCouponIntent.MaxTargetLength"/> characters), or null when there is none: the coupon then
    /// lives in the program only (a headless storefront checks codes through the API and reports their use).
    /// </summary>
    Task<string?> TargetAsync(Guid memberId, CancellationToken ct);

    /// <summary>
    /// Creates the coupon on <paramref name="target"/>; returns its id there (for <see cref="DeleteAsync"/>).
    /// <paramref name="createdBefore"/>: the id an earlier attempt of the same redemption got (its transaction lost a race
    /// and runs again): the store is not called again, only what the implementation stages in the transaction is.
    /// </summary>
    Task<string> CreateAsync(string target, StoreCoupon coupon, string? createdBefore, CancellationToken ct);

    /// <summary>Removes a coupon <see cref="CreateAsync"/> created (id <paramref name="storeCouponId"/>); an unknown one counts as removed.</summary>
    Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct);

    /// <summary>
    /// Finds the coupon <paramref name="code"/> on <paramref name="target"/> and removes it (reconciliation of a
    /// redemption that did not commit and whose store answer was lost). True: one was found and removed; false: the
    /// store has none, or the target can no longer be reached by design (a disconnected store, whose keys are gone).
    /// </summary>
    Task<bool> DeleteByCodeAsync(string target, string code, Guid memberId, CancellationToken ct);
}

/// <summary>No connected store takes coupons: every coupon lives in the program only.</summary>
public sealed class NoStoreCoupons : IStoreCoupons
{
    public static NoStoreCoupons Instance { get; } = new();

    public Task<string?> TargetAsync(Guid memberId, CancellationToken ct) => Task.FromResult<string?>(null);

    public Task<string> CreateAsync(string target, StoreCoupon coupon, string? createdBefore, CancellationToken ct) =>
        throw new InvalidOperationException("No store: TargetAsync named none.");

    public Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct) => Task.CompletedTask;

    public Task<bool> DeleteByCodeAsync(string target, string code, Guid memberId, CancellationToken ct) => Task.FromResult(false);
}

/// <summary>The store refused or could not be reached: nothing was deducted (the redemption can be retried).</summary>
public sealed class StoreCouponFailedException(string reason)
    : LoyaltyException(ErrorCodes.StoreCouponFailed, $"The store could not create the coupon: {reason}. No points were deducted.");
