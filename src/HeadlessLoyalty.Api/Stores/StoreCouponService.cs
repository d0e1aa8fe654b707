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
/// the member's Shopify customer), within the redemption's transaction, so a store's refusal deducts nothing. The
/// target is the connection's <see cref="StoreConnection.StoreKey"/>.
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
    public async Task<string?> TargetAsync(Guid memberId, CancellationToken ct) =>
        (await RouteAsync(memberId, ct))?.StoreKey;

    /// <summary>This service with the target fixed to <paramref name="connection"/> (a checkout names its store).</summary>
    public IStoreCoupons On(StoreConnection connection) => new FixedTarget(this, connection.StoreKey);

    public async Task<string> CreateAsync(string target, StoreCoupon coupon, string? createdBefore, CancellationToken ct)
    {
        var connection = await ConnectionAsync(target, ct) ?? throw new StoreCouponFailedException("the store connection is gone");
        string storeId;
        if (createdBefore is not null && TryParseStoreCouponId(createdBefore, out _, out var before))
            storeId = before;
        else
        {
            connection.EnsureRedeemable();
            var credentials = secrets.UnprotectCredentials(connection.ProtectedCredentials!);
            try
            {
                storeId = connection.Platform == StorePlatform.WooCommerce
                    ? await woo.CreateCouponAsync(connection.Url, credentials, ToWoo(coupon), ct)
                    : await shopify.CreateDiscountAsync(connection.Url, credentials, ToShopify(coupon, await CustomerIdAsync(connection, coupon.MemberId, ct)
                        ?? throw new StoreCustomerUnknownException("The member has no Shopify customer id on this store: a Shopify discount is limited to a customer. No points were deducted.")), ct);
            }
            catch (LoyaltyException e) when (e is StoreUnreachableException or StoreCredentialsInvalidException)
            {
                throw new StoreCouponFailedException($"{connection.Platform} at {connection.Url}: {e.Message}");
            }
        }
        StoreOperations.Audit(db, connection.Id, StoreAuditActions.CouponCreated, caller.IsAuthenticated ? caller.Actor : "system",
            string.Create(CultureInfo.InvariantCulture, $"Coupon {coupon.Code} ({coupon.Kind} {coupon.Value} {coupon.Currency}) for member {coupon.MemberId:D}, store id {storeId}"),
            clock.GetUtcNow());
        return $"{connection.StoreKey}:{storeId}";
    }

    /// <summary>
    /// A store coupon id as <see cref="CreateAsync"/> returns it names its connection, so the store is found again:
    /// <c>{connection}:{id on the store}</c>.
    /// </summary>
    internal static bool TryParseStoreCouponId(string storeCouponId, out Guid connectionId, out string storeId)
    {
        var sep = storeCouponId.IndexOf(':');
        storeId = sep < 0 ? "" : storeCouponId[(sep + 1)..];
        connectionId = Guid.Empty;
        return sep >= 0 && Guid.TryParse(storeCouponId.AsSpan(0, sep), out connectionId);
    }

    public Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct) =>
        DeleteAsync(coupon, storeCouponId, "the redemption that created it did not commit", ct);

    /// <summary>Deletes a coupon this service created, audit-logged with <paramref name="why"/>; a store failure is logged and thrown.</summary>
    public async Task DeleteAsync(StoreCoupon coupon, string storeCouponId, string why, CancellationToken ct)
    {
        if (!TryParseStoreCouponId(storeCouponId, out var connectionId, out var storeId)
            || await db.StoreConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, ct) is not { ProtectedCredentials: not null } connection)
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
            log.LogWarning("Could not delete the store coupon {Code} ({StoreId}) on {Store}: {Reason}", coupon.Code, storeId, connection.Url, e.Message);
            throw;
        }
        await AuditOnItsOwnAsync(connection.Id,
            $"Coupon {coupon.Code} (store id {storeId}) deleted from the store: {why}.", ct);
    }

    public async Task<bool> DeleteByCodeAsync(string target, string code, Guid memberId, CancellationToken ct)
    {
        if (await ConnectionAsync(target, ct) is not { ProtectedCredentials: not null } connection)
        {
            log.LogWarning("The store coupon {Code} of a redemption that never committed cannot be checked: its store connection is disconnected (keys deleted).", code);
            return false;
        }
        var credentials = secrets.UnprotectCredentials(connection.ProtectedCredentials);
        string? storeId;
        if (connection.Platform == StorePlatform.WooCommerce)
        {
            var email = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => m.Email).FirstOrDefaultAsync(ct);
            storeId = await woo.FindCouponAsync(connection.Url, credentials, code, email, ct);
            if (storeId is not null)
                await woo.DeleteCouponAsync(connection.Url, credentials, storeId, ct);
        }
        else
        {
            storeId = await shopify.FindDiscountByCodeAsync(connection.Url, credentials, code, ct);
            if (storeId is not null)
                await shopify.DeleteDiscountAsync(connection.Url, credentials, storeId, ct);
        }
        if (storeId is null)
            return false;
        await AuditOnItsOwnAsync(connection.Id,
            $"Coupon {code} (store id {storeId}) deleted from the store by store-coupon-recovery: the redemption that created it never committed.", ct);
        return true;
    }

    /// <summary>An audit line saved on its own (no redemption transaction is open any more).</summary>
    private async Task AuditOnItsOwnAsync(Guid connectionId, string detail, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        StoreOperations.Audit(db, connectionId, StoreAuditActions.CouponDeleted, caller.IsAuthenticated ? caller.Actor : "system", detail, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private Task<StoreConnection?> ConnectionAsync(string target, CancellationToken ct) =>
        Guid.TryParse(target, out var id)
            ? db.StoreConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct)
            : Task.FromResult<StoreConnection?>(null);

    private Task<string?> CustomerIdAsync(StoreConnection connection, Guid memberId, CancellationToken ct) =>
        db.MemberExternalIds.AsNoTracking().Where(x => x.MemberId == memberId && x.Store == connection.StoreKey).Select(x => x.ExternalId).FirstOrDefaultAsync(ct);

    /// <summary>The service with its target fixed to one connection.</summary>
    private sealed class FixedTarget(StoreCouponService inner, string target) : IStoreCoupons
    {
        public Task<string?> TargetAsync(Guid memberId, CancellationToken ct) => Task.FromResult<string?>(target);
        public Task<string> CreateAsync(string t, StoreCoupon coupon, string? createdBefore, CancellationToken ct) => inner.CreateAsync(t, coupon, createdBefore, ct);
        public Task DeleteAsync(StoreCoupon coupon, string storeCouponId, CancellationToken ct) => inner.DeleteAsync(coupon, storeCouponId, ct);
        public Task<bool> DeleteByCodeAsync(string t, string code, Guid memberId, CancellationToken ct) => inner.DeleteByCodeAsync(t, code, memberId, ct);
    }

    /// <summary>The member's store connection; null when the program has none.</summary>
    internal async Task<StoreConnection?> RouteAsync(Guid memberId, CancellationToken ct)
    {
        var connections = await db.StoreConnections.AsNoTracking()
            .Where(c => c.Status != StoreConnectionStatus.Disconnected).ToListAsync(ct);
        if (connections.Count == 0)
            return null;
        var byKey = connections.ToDictionary(c => c.StoreKey);
        var keys = byKey.Keys.ToList();
        // The stores that know the member's customer id.
        var customers = (await db.MemberExternalIds.AsNoTracking()
            .Where(x => x.MemberId == memberId && keys.Contains(x.Store)).Select(x => x.Store).ToListAsync(ct)).ToHashSet();

        StoreConnection? chosen = null;
        var lastPurchaseStore = await db.Purchases.AsNoTracking()
            .Where(p => p.MemberId == memberId && keys.Contains(p.StoreId))
            .OrderByDescending(p => p.OccurredAt).Select(p => p.StoreId).FirstOrDefaultAsync(ct);
        if (customers.Count > 0)
            chosen = lastPurchaseStore is not null && customers.Contains(lastPurchaseStore) ? byKey[lastPurchaseStore] : byKey[customers.Order(StringComparer.Ordinal).First()];
        else if (lastPurchaseStore is not null)
            chosen = byKey[lastPurchaseStore];
        else if (connections.Count == 1)
            chosen = connections[0];
        else
            throw new StoreNotResolvedException($"The program has {connections.Count} store connections and nothing says which is the member's (no customer id, no purchase from one). No points were deducted.");
        return chosen;
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
