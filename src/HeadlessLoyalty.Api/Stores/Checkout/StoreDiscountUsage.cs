using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Stores.Shopify;
using HeadlessLoyalty.Api.Stores.WooCommerce;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Stores.Checkout;

/// <summary>What the store says about one of our discounts: used there, not used, or it could not be asked (and why).</summary>
public sealed record StoreDiscountAnswer(bool? Used, string? Failure)
{
    public static readonly StoreDiscountAnswer Unused = new(false, null);
    public static readonly StoreDiscountAnswer UsedOnStore = new(true, null);
    public static StoreDiscountAnswer Unknown(string failure) => new(null, failure);
}

/// <summary>
/// Asks the store whether one of our discounts was used, before the checkout-discount-expiry job gives its points back
/// (an order delivery may never have reached us: WooCommerce does not retry, Shopify drops failing subscriptions).
/// WooCommerce: <c>GET /coupons/{id}</c> <c>usage_count</c>; Shopify: the discount node's <c>asyncUsageCount</c>. A
/// discount the store no longer has counts as unused (nobody can use it). A store id names its connection
/// (<c>{connection}:{id on the store}</c>, <see cref="StoreCouponService.TryParseStoreCouponId"/>); a connection that is gone,
/// disconnected (its keys are deleted) or refuses or cannot be reached is <see cref="StoreDiscountAnswer.Unknown"/>.
/// </summary>
public sealed class StoreDiscountUsage(LoyaltyDbContext db, StoreSecrets secrets, WooCommerceClient woo, ShopifyClient shopify)
{
    public async Task<StoreDiscountAnswer> AskAsync(string storeCouponId, CancellationToken ct)
    {
        if (!StoreCouponService.TryParseStoreCouponId(storeCouponId, out var connectionId, out var storeId))
            return StoreDiscountAnswer.Unknown($"'{storeCouponId}' names no store connection.");
        var connection = await db.StoreConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, ct);
        if (connection is null || connection.Status == StoreConnectionStatus.Disconnected || connection.ProtectedCredentials is null)
            return StoreDiscountAnswer.Unknown("the store connection is disconnected (its keys are deleted).");
        try
        {
            var credentials = secrets.UnprotectCredentials(connection.ProtectedCredentials);
            var count = connection.Platform == StorePlatform.WooCommerce
                ? await woo.CouponUsageAsync(connection.Url, credentials, storeId, ct)
                : await shopify.DiscountUsageAsync(connection.Url, credentials, storeId, ct);
            return count > 0 ? StoreDiscountAnswer.UsedOnStore : StoreDiscountAnswer.Unused;
        }
        catch (Exception e) when (e is LoyaltyException or System.Text.Json.JsonException or HttpRequestException or System.Security.Cryptography.CryptographicException)
        {
            return StoreDiscountAnswer.Unknown(e.Message);
        }
    }
}
