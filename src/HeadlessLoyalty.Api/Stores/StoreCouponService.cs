using System.Globalization;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Stores.Shopify;
using HeadlessLoyalty.Api.Stores.WooCommerce;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Stores;

/// <summary>
/// <see cref="IStoreCoupons"/> on the program's store connections: a redeemed coupon is created on the member's store
/// (WooCommerce: a single-use coupon restricted to the member's email; Shopify: a single-use code discount limited to
/// the member's Shopify customer), within the redemption's transaction, so a store's refusal deducts nothing.
/// <para>The member's store, in order: a connection that knows the member's customer id (<c>MemberExternalId.Store</c> =
/// the connection's <see cref="StoreConnection.StoreKey"/>); else the store of their latest purchase
/// (<c>Purchase.StoreId</c>); else the program's only connection. Disconnected connections do not count; no connection
/// at all: the coupon lives in the program only (null). Several and none the member's: STORE_NOT_RESOLVED.</para>
/// <para>Refusals, nothing deducted: STORE_PAUSED, STORE_CUSTOMER_UNKNOWN (Shopify, no customer id), STORE_COUPON_FAILED
/// (the store refused or could not be reached). A coupon created is audit-logged in the same transaction.</para>
/// </summary>
public sealed class StoreCouponService(
    LoyaltyDbContext db, TimeProvider clock, StoreSecrets secrets, WooCommerceClient woo, ShopifyClient shopify,
    Auth.Caller caller, ILogger<StoreCouponService> log) : IStoreCoupons
{
    public async Task<string?> CreateAsync(StoreCoupon coupon, CancellationToken ct)
    {
        var (connection, customerId) = await RouteAsync(coupon.MemberId, ct);
        if (connection is null)
            return null;
        if (connection.Status == StoreConnectionStatus.Paused)
            throw new StorePausedException(connection.Id);
        var credentials = secrets.UnprotectCredentials(connection.ProtectedCredentials!);
        string storeId;
        try
        {
            storeId = connection.Platform == StorePlatform.WooCommerce
                ? await woo.CreateCouponAsync(connection.Url, credentials, ToWoo(coupon), ct)
                : await shopify.CreateDiscountAsync(connection.Url, credentials, ToShopify(coupon, customerId
                    ?? throw new StoreCustomerUnknownException("The member has no Shopify customer id on this store: a Shopify discount is limited to a customer. No points were deducted.")), ct);
        }
        catch (LoyaltyException e) when (e is StoreUnreachableException or StoreCredentialsInvalidException)
        {
            throw new StoreCouponFailedException($"{connection.Platform} at {connection.Url}: {e.Message}");
        }
        // A store id names its connection, so DeleteAsync finds the store again: "{connection}:{id on the store}".
        var id = $"{connection.StoreKey}:{storeId}";
        StoreOperations.Audit(db, connection.Id, StoreAuditActions.CouponCreated, caller.IsAuthenticated ? caller.Actor : "system",
            string.Create(CultureInfo.InvariantCulture, $"Coupon {coupon.Code} ({coupon.Kind} {coupon.Value} {coupon.Currency}) for member {coupon.MemberId:D}, store id {storeId}"),
            clock.GetUtcNow());
        return id;
    }

    public async Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct)
    {
        var sep = storeCouponId.IndexOf(':');
        if (sep < 0 || !Guid.TryParse(storeCouponId.AsSpan(0, sep), out var connectionId))
            return;
        var storeId = storeCouponId[(sep + 1)..];
        var connection = await db.StoreConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, ct);
        if (connection?.ProtectedCredentials is null)
            return;
        var credentials = secrets.UnprotectCredentials(connection.ProtectedCredentials);
        try
        {
            if (connection.Platform == StorePlatform.WooCommerce)
                await woo.DeleteCouponAsync(connection.Url, credentials, storeId, ct);
            else
                await shopify.DeleteDiscountAsync(connection.Url, credentials, storeId, ct);
        }
        catch (LoyaltyException e)
        {
            log.LogWarning("Could not delete the orphaned store coupon {Code} ({StoreId}) on {Store}: {Reason}", coupon.Code, storeId, connection.Url, e.Message);
            throw;
        }
        // Outside the redemption's transaction (it is over): the audit line is saved on its own.
        StoreOperations.Audit(db, connection.Id, StoreAuditActions.CouponDeleted, caller.IsAuthenticated ? caller.Actor : "system",
            $"Coupon {coupon.Code} (store id {storeId}) deleted from the store: the redemption attempt that created it did not commit.", clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The member's store connection and their customer id there (null when unknown).</summary>
    internal async Task<(StoreConnection? Connection, string? CustomerId)> RouteAsync(Guid memberId, CancellationToken ct)
    {
        var connections = await db.StoreConnections.AsNoTracking()
            .Where(c => c.Status != StoreConnectionStatus.Disconnected).ToListAsync(ct);
        if (connections.Count == 0)
            return (null, null);
        var byKey = connections.ToDictionary(c => c.StoreKey);
        var keys = byKey.Keys.ToList();
        var externalIds = await db.MemberExternalIds.AsNoTracking()
            .Where(x => x.MemberId == memberId && keys.Contains(x.Store)).Select(x => new { x.Store, x.ExternalId }).ToListAsync(ct);
        var customers = externalIds.GroupBy(x => x.Store).ToDictionary(g => g.Key, g => g.First().ExternalId);

        StoreConnection? chosen = null;
        var lastPurchaseStore = await db.Purchases.AsNoTracking()
            .Where(p => p.MemberId == memberId && keys.Contains(p.StoreId))
            .OrderByDescending(p => p.OccurredAt).Select(p => p.StoreId).FirstOrDefaultAsync(ct);
        if (customers.Count > 0)
            chosen = lastPurchaseStore is not null && customers.ContainsKey(lastPurchaseStore) ? byKey[lastPurchaseStore] : byKey[customers.Keys.Order(StringComparer.Ordinal).First()];
        else if (lastPurchaseStore is not null)
            chosen = byKey[lastPurchaseStore];
        else if (connections.Count == 1)
            chosen = connections[0];
        else
            throw new StoreNotResolvedException($"The program has {connections.Count} store connections and nothing says which is the member's (no customer id, no purchase from one). No points were deducted.");
        return (chosen, customers.GetValueOrDefault(chosen.StoreKey));
    }

    private static WooCoupon ToWoo(StoreCoupon c) => c.Kind switch
    {
        RewardKind.PercentageCoupon => new WooCoupon(c.Code, "percent", c.Value ?? 0, false, c.Email, c.ExpiresAt, Description(c)),
        RewardKind.FreeShipping => new WooCoupon(c.Code, "fixed_cart", 0, true, c.Email, c.ExpiresAt, Description(c)),
        _ => new WooCoupon(c.Code, "fixed_cart", c.Value ?? 0, false, c.Email, c.ExpiresAt, Description(c)),
    };

    private ShopifyDiscount ToShopify(StoreCoupon c, string customerId) => c.Kind switch
    {
        RewardKind.PercentageCoupon => new ShopifyDiscount(Description(c), c.Code, null, c.Value ?? 0, ShopifyClient.CustomerGid(customerId), clock.GetUtcNow(), c.ExpiresAt),
        RewardKind.FreeShipping => throw new StoreCouponFailedException("free-shipping rewards are not created on Shopify stores (a basic code discount cannot express them)"),
        _ => new ShopifyDiscount(Description(c), c.Code, c.Value ?? 0, null, ShopifyClient.CustomerGid(customerId), clock.GetUtcNow(), c.ExpiresAt),
    };

    private static string Description(StoreCoupon c) => $"Loyalty reward {c.Code}";
}
