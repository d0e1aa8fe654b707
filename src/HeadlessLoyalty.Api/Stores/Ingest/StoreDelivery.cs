using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>Where a store delivery stands: PENDING until the processor has handled it, then its outcome.</summary>
public enum StoreDeliveryStatus
{
    /// <summary>Accepted and persisted (the store got its 2xx); the processor has not finished it yet.</summary>
    Pending,
    /// <summary>It changed the ledger or the program: a purchase, a refund, a coupon used, a member, the catalog.</summary>
    Processed,
    /// <summary>Nothing to do, by design: a status that does not award, a duplicate, a topic we do not act on.</summary>
    Ignored,
    /// <summary>Not processed on purpose: a paused connection, a guest order without an email.</summary>
    Skipped,
    /// <summary>Refused (bad signature) or could not be processed (a refusal of the engine, a malformed body).</summary>
    Failed,
}

/// <summary>
/// The inbox of store webhooks (and the reconciliation's back-filled orders): every delivery is a row, persisted
/// BEFORE the store gets its 2xx, then processed in the background (<see cref="StoreDeliveryProcessor"/>). The row is
/// also the delivery's receipt: outcome, reason, order id and a hash of the email (never the address).
/// <para><see cref="DedupeKey"/> is unique per connection: WooCommerce <c>order:{id}:{status}:{refund ids}</c>,
/// Shopify <c>{topic}:{X-Shopify-Event-Id}</c>. A replay finds the key taken and is recorded as an IGNORED duplicate
/// (with a null key) without being processed again. A delivery that FAILED gives its key up when it is finished, so a
/// resend or back-fill of the same state (what the monitoring hint tells the merchant to do) is processed.</para>
/// </summary>
public sealed class StoreDelivery : ITenantOwned
{
    public const int MaxTopicLength = 64;
    public const int MaxKeyLength = 300;
    public const int MaxReasonLength = 1000;

    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid ConnectionId { get; init; }
    public required StorePlatform Platform { get; init; }
    /// <summary>WooCommerce <c>X-WC-Webhook-Topic</c> (e.g. <c>order.updated</c>), Shopify <c>X-Shopify-Topic</c> (e.g. <c>orders/paid</c>).</summary>
    public required string Topic { get; init; }
    /// <summary>Null for duplicates, signature failures, skipped deliveries and finished FAILED ones (they never block a later one).</summary>
    public string? DedupeKey { get; init; }
    /// <summary>The store's id of the delivery (<c>X-WC-Webhook-Delivery-ID</c>, <c>X-Shopify-Webhook-Id</c>) or <c>reconciliation</c>.</summary>
    public string? ExternalDeliveryId { get; init; }
    /// <summary>Shopify's <c>X-Shopify-Event-Id</c> (the same for every retry of one event).</summary>
    public string? EventId { get; init; }
    /// <summary>The order (or customer, product, location) id the body names; null when it names none.</summary>
    public string? ResourceId { get; init; }
    /// <summary>Hex SHA-256 of the trimmed, lower-cased billing/customer email; never the address itself.</summary>
    public string? EmailHash { get; init; }
    /// <summary>
    /// The raw body as received (UTF-8) while the delivery is PENDING (the processor reads it); blanked once it is
    /// processed, ignored or skipped (receipts keep the email's hash, never the address). A FAILED delivery keeps it until
    /// the retention deletes the receipt; empty for refused deliveries (a bad signature's body is not kept) and duplicates.
    /// </summary>
    public required string Body { get; init; }
    public required StoreDeliveryStatus Status { get; set; }
    public string? Reason { get; set; }
    /// <summary>webhook or reconciliation.</summary>
    public required string Source { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? ProcessedAt { get; set; }
    /// <summary>A processor's claim: no other processor takes the row before it runs out (a crashed one's runs out).</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
}

public static class StoreDeliverySources
{
    public const string Webhook = "webhook";
    public const string Reconciliation = "reconciliation";
}

public enum StoreCatalogKind { Variant, Location }

/// <summary>
/// The program's copy of a store's catalog: one row per product variant (a product without variants is one row) and
/// per location, upserted from Shopify's <c>products/update</c> and <c>locations/create</c> deliveries.
/// Unique per (connection, kind, external id).
/// </summary>
public sealed class StoreCatalogItem : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid ConnectionId { get; init; }
    public required StoreCatalogKind Kind { get; init; }
    /// <summary>The variant id (or the product id when it has no variants), or the location id.</summary>
    public required string ExternalId { get; init; }
    /// <summary>The product id of a variant; null for a location.</summary>
    public string? ProductId { get; set; }
    /// <summary>The product title, or the location name.</summary>
    public required string Title { get; set; }
    public string? VariantTitle { get; set; }
    public string? Sku { get; set; }
    public decimal? Price { get; set; }
    public required DateTimeOffset UpdatedAt { get; set; }
}
