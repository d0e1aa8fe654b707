using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>A connection's delivery overview: the last delivery, 24-hour counts per outcome, the latest failure and what to do about it.</summary>
public sealed record StoreDeliveryStats(
    Guid ConnectionId, DateTimeOffset? LastDeliveryAt, DateTimeOffset Since,
    int Processed, int Ignored, int Skipped, int Failed, int Pending, StoreDelivery? LastFailure)
{
    /// <summary>What the merchant can do about <see cref="LastFailure"/>; null without one.</summary>
    public string? LastFailureHint => LastFailure?.Reason switch
    {
        null => LastFailure is null ? null : "See the delivery's reason.",
        var r when r.StartsWith("Signature mismatch", StringComparison.Ordinal) || r.StartsWith("Unsigned", StringComparison.Ordinal) =>
            "The secrets differ: the store signs its webhooks with another secret than this connection's. Copy the secret shown for manual setup into the store's webhook (or reconnect the store).",
        var r when r.StartsWith(ErrorCodes.CurrencyMismatch, StringComparison.Ordinal) =>
            "The store's currency is not the program's: orders in another currency are not awarded.",
        var r when r.StartsWith(ErrorCodes.MemberBlocked, StringComparison.Ordinal) =>
            "The member is blocked: unblock them, then resend the order from the store (or let the reconciliation back-fill it).",
        var r when r.StartsWith(ErrorCodes.PurchaseConflict, StringComparison.Ordinal) =>
            "The order was recorded before with another total or customer: an edited order is not re-awarded; adjust the points by hand if needed.",
        var r when r.StartsWith("Malformed", StringComparison.Ordinal) || r.StartsWith("The body is not", StringComparison.Ordinal) =>
            "The store sent a body that is not an order's JSON: check the webhook's topic and API version on the store.",
        _ => "See the reason; the delivery is not retried by itself: resend it from the store, or wait for the hourly reconciliation.",
    };
}

public static class StoreDeliveryMonitoring
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>The connection's deliveries (receipts), newest first; null when the program has no such connection.</summary>
    public static async Task<IQueryable<StoreDelivery>?> DeliveriesAsync(LoyaltyDbContext db, Guid connectionId, StoreDeliveryStatus? status, CancellationToken ct = default)
    {
        if (!await db.StoreConnections.AnyAsync(c => c.Id == connectionId, ct))
            return null;
        var q = db.StoreDeliveries.AsNoTracking().Where(d => d.ConnectionId == connectionId);
        if (status is { } s)
            q = q.Where(d => d.Status == s);
        return q.OrderByDescending(d => d.ReceivedAt).ThenByDescending(d => d.Id);
    }

    /// <summary>The overview of the last 24 hours (by reception time); null when the program has no such connection.</summary>
    public static async Task<StoreDeliveryStats?> StatsAsync(LoyaltyDbContext db, TimeProvider clock, Guid connectionId, CancellationToken ct = default)
    {
        var connection = await db.StoreConnections.AsNoTracking().Where(c => c.Id == connectionId)
            .Select(c => new { c.LastDeliveryAt }).FirstOrDefaultAsync(ct);
        if (connection is null)
            return null;
        var since = clock.GetUtcNow() - Window;
        var counts = await db.StoreDeliveries.AsNoTracking()
            .Where(d => d.ConnectionId == connectionId && d.ReceivedAt >= since)
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var lastFailure = await db.StoreDeliveries.AsNoTracking()
            .Where(d => d.ConnectionId == connectionId && d.Status == StoreDeliveryStatus.Failed)
            .OrderByDescending(d => d.ReceivedAt).ThenByDescending(d => d.Id).FirstOrDefaultAsync(ct);
        int N(StoreDeliveryStatus s) => counts.GetValueOrDefault(s);
        return new StoreDeliveryStats(connectionId, connection.LastDeliveryAt, since,
            N(StoreDeliveryStatus.Processed), N(StoreDeliveryStatus.Ignored), N(StoreDeliveryStatus.Skipped), N(StoreDeliveryStatus.Failed),
            N(StoreDeliveryStatus.Pending), lastFailure);
    }

    /// <summary>The connection's synced catalog (variants by product, then locations); null when the program has no such connection.</summary>
    public static async Task<IQueryable<StoreCatalogItem>?> CatalogAsync(LoyaltyDbContext db, Guid connectionId, StoreCatalogKind? kind, CancellationToken ct = default)
    {
        if (!await db.StoreConnections.AnyAsync(c => c.Id == connectionId, ct))
            return null;
        var q = db.StoreCatalogItems.AsNoTracking().Where(x => x.ConnectionId == connectionId);
        if (kind is { } k)
            q = q.Where(x => x.Kind == k);
        return q.OrderBy(x => x.Kind).ThenBy(x => x.ProductId).ThenBy(x => x.ExternalId);
    }
}
