using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Stores;

/// <summary>
/// What a webhook request to <c>/webhooks/{platform}/{connection}</c> needs to know about its connection, read before
/// any tenant is known. <see cref="WebhookSecret"/> is the decrypted HMAC key (WooCommerce: the secret we generated;
/// Shopify: the app client secret); null once the connection is disconnected (its keys are erased: refuse with 401/404).
/// </summary>
public sealed record StoreWebhookTarget(
    Guid ConnectionId,
    Guid ProgramId,
    StorePlatform Platform,
    StoreConnectionStatus Status,
    string Url,
    string? WebhookSecret,
    StoreAwardOn AwardOn,
    DateTimeOffset? LastDeliveryAt)
{
    /// <summary>Deliveries are processed (ACTIVE or MANUAL_SETUP); PAUSED ones are logged and skipped, DISCONNECTED ones refused.</summary>
    public bool IsLive => Status is StoreConnectionStatus.Active or StoreConnectionStatus.ManualSetup;

    /// <summary>How purchases and member external ids name this store (see <see cref="StoreConnection.StoreKey"/>).</summary>
    public string StoreKey => StoreConnection.KeyOf(ConnectionId);
}

/// <summary>
/// The webhook ingest's entry point into store connections (scoped: it uses the request's DbContext, ignoring the
/// tenant filter because a store's delivery carries no token; the caller then sets the scope's TenantContext to
/// <see cref="StoreWebhookTarget.ProgramId"/> before touching tenant data).
/// </summary>
public sealed class StoreWebhookTargets(LoyaltyDbContext db, StoreSecrets secrets)
{
    /// <summary>
    /// The connection a delivery names, across programs; null when there is none (answer 404) or when
    /// <paramref name="platform"/> is not the connection's platform (a WooCommerce delivery to a Shopify connection).
    /// </summary>
    public async Task<StoreWebhookTarget?> FindAsync(Guid connectionId, StorePlatform platform, CancellationToken ct = default)
    {
        var c = await db.StoreConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.Id == connectionId && x.Platform == platform)
            .Select(x => new { x.Id, x.ProgramId, x.Platform, x.Status, x.Url, x.ProtectedWebhookSecret, x.AwardOn, x.LastDeliveryAt })
            .FirstOrDefaultAsync(ct);
        if (c is null)
            return null;
        var secret = c.ProtectedWebhookSecret is null ? null : secrets.UnprotectWebhookSecret(c.ProtectedWebhookSecret);
        return new StoreWebhookTarget(c.Id, c.ProgramId, c.Platform, c.Status, c.Url, secret, c.AwardOn, c.LastDeliveryAt);
    }

    /// <summary>
    /// Records that a delivery arrived (any outcome, signature failures included) at <paramref name="at"/>: the
    /// connection's <c>lastDeliveryAt</c>. One set-based update; never moves the time backwards.
    /// </summary>
    public Task<int> TouchLastDeliveryAsync(Guid connectionId, DateTimeOffset at, CancellationToken ct = default) =>
        db.StoreConnections.IgnoreQueryFilters()
            .Where(x => x.Id == connectionId && (x.LastDeliveryAt == null || x.LastDeliveryAt < at))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastDeliveryAt, at), ct);
}
