using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Stores.Shopify;
using HeadlessLoyalty.Api.Stores.WooCommerce;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>Where the reconciliation of one connection stands: the store's order modification time it has seen through.</summary>
public sealed class StoreReconciliationState : ITenantOwned
{
    public const int MaxErrorLength = 1000;

    public required Guid ConnectionId { get; init; }
    public Guid ProgramId { get; set; }
    /// <summary>The latest order modification time (the store's, UTC) back-filled so far; the next run asks for orders modified after it (minus an overlap).</summary>
    public DateTimeOffset? OrdersModifiedThrough { get; set; }
    public DateTimeOffset? LastRunAt { get; set; }
    public int LastOrdersQueued { get; set; }
    public int LastWebhooksRepaired { get; set; }
    public string? LastError { get; set; }
}

/// <summary>
/// The <c>store-reconciliation</c> job, per program: for every live connection (ACTIVE or MANUAL_SETUP), back-fills the
/// orders the store changed since the last one seen and repairs the webhook registration. WooCommerce never retries a
/// failed delivery and Shopify deletes subscriptions that keep failing, so this is how a downtime heals.
/// <list type="bullet">
/// <item>Orders go through the SAME inbox and processing as webhooks (<see cref="StoreDelivery"/> rows with source
/// <c>reconciliation</c>): WooCommerce <c>GET /orders?modified_after=&amp;dates_are_gmt=true&amp;per_page=100&amp;page=N</c>
/// under the webhook's dedupe key (an order state a webhook already delivered is not queued again); Shopify Admin
/// GraphQL <c>orders(query: "updated_at:&gt;'...'")</c> paged by cursor, paid orders queued as <c>orders/paid</c> and
/// their refunds as <c>refunds/create</c>.
/// The engine's idempotency (one purchase per order, one reversal per refund) makes a back-filled order that a
/// webhook also delivered change nothing.</item>
/// <item>Webhooks (not in manual setup): WooCommerce: ours (delivery URL) missing → created; disabled (after 7
/// failures) → <c>PUT /webhooks/{id} {"status":"active"}</c>. Shopify: every topic of <see cref="ShopifyClient.WebhookTopics"/>
/// without a subscription to our URL → created. The connection's webhook ids are updated.</item>
/// <item>The first run starts at the connection's (re)connection or resume time: resuming does not back-fill the pause.</item>
/// </list>
/// A store failure on one connection is recorded on its state (<c>LastError</c>) and does not stop the others. The run
/// also deletes the program's finished receipts older than <see cref="StoreIngestOptions.RetentionDays"/>.
/// </summary>
public sealed class StoreReconciliation(
    WooCommerceClient woo, ShopifyClient shopify, StoreSecrets secrets, IOptions<StoresOptions> options, IOptions<StoreIngestOptions> ingest,
    StoreDeliverySignal signal, ILogger<StoreReconciliation> log)
{
    public const string JobName = "store-reconciliation";
    /// <summary>Asked again each run: an order modified in the same second as the last one seen is not missed.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);
    public const int PageSize = 100;
    public const int MaxPagesPerRun = 50;
    private long _sequence;

    /// <summary>
    /// Deletes the program's finished delivery receipts received more than <see cref="StoreIngestOptions.RetentionDays"/>
    /// ago (pending ones stay). Safe for idempotency: a replay of such an old delivery is processed again and the engine's
    /// own keys (one purchase per order, one reversal per refund) make it change nothing.
    /// </summary>
    public static Task<int> DeleteOldReceiptsAsync(LoyaltyDbContext db, TimeProvider clock, int retentionDays, CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow().AddDays(-retentionDays);
        return db.StoreDeliveries.Where(d => d.Status != StoreDeliveryStatus.Pending && d.ReceivedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>Reconciles the program's live connections; returns the orders queued plus the webhooks repaired plus the old receipts deleted.</summary>
    public async Task<int> RunForProgramAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var connections = await db.StoreConnections.AsNoTracking()
            .Where(c => c.Status == StoreConnectionStatus.Active || c.Status == StoreConnectionStatus.ManualSetup)
            .OrderBy(c => c.ConnectedAt).ToListAsync(ct);
        var total = 0;
        foreach (var connection in connections)
        {
            var cursor = await db.StoreReconciliationStates.AsNoTracking().Where(s => s.ConnectionId == connection.Id)
                .Select(s => s.OrdersModifiedThrough).FirstOrDefaultAsync(ct);
            int queued = 0, repaired = 0;
            string? error = null;
            try
            {
                var credentials = secrets.UnprotectCredentials(connection.ProtectedCredentials ?? throw new StoreCredentialsInvalidException("No stored credentials."));
                var since = Latest(cursor, connection.ConnectedAt, connection.ResumedAt);
                DateTimeOffset? through;
                (queued, through) = connection.Platform == StorePlatform.WooCommerce
                    ? await BackfillWooCommerceAsync(db, clock, connection, credentials, since - Overlap, ct)
                    : await BackfillShopifyAsync(db, clock, connection, credentials, since - Overlap, ct);
                cursor = through is { } t && t > since ? t : since;
                if (!connection.ManualSetup)
                    repaired = connection.Platform == StorePlatform.WooCommerce
                        ? await RepairWooCommerceWebhooksAsync(db, connection, credentials, ct)
                        : await RepairShopifyWebhooksAsync(db, connection, credentials, ct);
            }
            catch (LoyaltyException e)
            {
                log.LogWarning("Reconciliation of store connection {Id} failed: {Message}", connection.Id, e.Message);
                error = $"{e.Code}: {e.Message}";
            }
            // The inserts above cleared the change tracker: the state is loaded (or created) now.
            db.ChangeTracker.Clear();
            var state = await db.StoreReconciliationStates.FirstOrDefaultAsync(s => s.ConnectionId == connection.Id, ct);
            if (state is null)
            {
                state = new StoreReconciliationState { ConnectionId = connection.Id };
                db.StoreReconciliationStates.Add(state);
            }
            state.OrdersModifiedThrough = cursor;
            state.LastRunAt = clock.GetUtcNow();
            state.LastOrdersQueued = queued;
            state.LastWebhooksRepaired = repaired;
            state.LastError = error is null ? null : error.Length <= StoreReconciliationState.MaxErrorLength ? error : error[..StoreReconciliationState.MaxErrorLength];
            await db.SaveChangesAsync(ct);
            total += queued + repaired;
        }
        if (total > 0)
            signal.Pulse();
        return total + await DeleteOldReceiptsAsync(db, clock, ingest.Value.RetentionDays, ct);
    }

    private static DateTimeOffset Latest(params DateTimeOffset?[] times) => times.OfType<DateTimeOffset>().Max();

    /// <summary>Queues one fetched order under the webhook's dedupe key; false when that state was already received.</summary>
    private async Task<bool> QueueAsync(LoyaltyDbContext db, TimeProvider clock, StoreConnection connection, string topic, string? eventId, string body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var facts = StoreDeliveryFacts.Parse(connection.Platform, topic, null, eventId, bytes);
        if (facts.DedupeKey is null)
            return false;
        // A tick apart, so an order's back-filled deliveries keep their order (purchase, then its refunds) whatever the clock's resolution.
        var now = clock.GetUtcNow().AddTicks(Interlocked.Increment(ref _sequence) % 10_000);
        var delivery = new StoreDelivery
        {
            Id = Guid.CreateVersion7(now), ConnectionId = connection.Id, Platform = connection.Platform, Topic = topic,
            DedupeKey = facts.DedupeKey, ExternalDeliveryId = StoreDeliverySources.Reconciliation, EventId = eventId,
            ResourceId = facts.ResourceId, EmailHash = facts.EmailHash, Body = body, Status = StoreDeliveryStatus.Pending,
            Source = StoreDeliverySources.Reconciliation, ReceivedAt = now,
        };
        return await StoreWebhookIngest.TryInsertAsync(db, delivery, ct);
    }

    // ---------------- WooCommerce ----------------

    private async Task<(int Queued, DateTimeOffset? Through)> BackfillWooCommerceAsync(
        LoyaltyDbContext db, TimeProvider clock, StoreConnection connection, StoreCredentials credentials, DateTimeOffset after, CancellationToken ct)
    {
        var queued = 0;
        DateTimeOffset? through = null;
        for (var page = 1; page <= MaxPagesPerRun; page++)
        {
            var path = $"orders?modified_after={Uri.EscapeDataString(after.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture))}"
                       + $"&dates_are_gmt=true&orderby=modified&order=asc&per_page={PageSize}&page={page}";
            using var response = await woo.SendAsync(connection.Url, credentials, HttpMethod.Get, path, null, ct);
            await WooCommerceClient.EnsureSuccessAsync(response, "list the orders", ct);
            if (await WooCommerceClient.ReadAsync(response, ct) is not JsonArray orders)
                throw new StoreUnreachableException("WooCommerce listed the orders as something that is not an array.");
            foreach (var order in orders.OfType<JsonObject>())
            {
                if (await QueueAsync(db, clock, connection, WooCommerceClient.WebhookTopic, null, order.ToJsonString(), ct))
                    queued++;
                if (DateTimeOffset.TryParse((string?)order["date_modified_gmt"], CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var modified) && (through is null || modified > through))
                    through = modified;
            }
            var totalPages = response.Headers.TryGetValues("X-WP-TotalPages", out var values) && int.TryParse(values.FirstOrDefault(), out var n) ? n : (int?)null;
            if (orders.Count < PageSize || (totalPages is { } pages && page >= pages))
                break;
        }
        return (queued, through);
    }

    private async Task<int> RepairWooCommerceWebhooksAsync(LoyaltyDbContext db, StoreConnection connection, StoreCredentials credentials, CancellationToken ct)
    {
        var url = options.Value.DeliveryUrl(connection.Platform, connection.Id);
        using var response = await woo.SendAsync(connection.Url, credentials, HttpMethod.Get, "webhooks?per_page=100", null, ct);
        await WooCommerceClient.EnsureSuccessAsync(response, "list the webhooks", ct);
        var ours = (await WooCommerceClient.ReadAsync(response, ct) as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(w => (string?)w["delivery_url"] == url && (string?)w["topic"] == WooCommerceClient.WebhookTopic).ToList();
        var repaired = 0;
        var ids = ours.Select(w => w["id"]?.ToString()).OfType<string>().ToList();
        if (ours.Count == 0)
        {
            var secret = secrets.UnprotectWebhookSecret(connection.ProtectedWebhookSecret ?? throw new StoreCredentialsInvalidException("No stored webhook secret."));
            var id = await woo.CreateWebhookAsync(connection.Url, credentials, "HeadlessLoyalty orders", url, secret, ct);
            if (id is null)
                throw new StoreCredentialsInvalidException("The key may no longer create webhooks (read-only): add the webhook by hand.");
            ids.Add(id);
            repaired++;
        }
        foreach (var hook in ours.Where(w => (string?)w["status"] != "active"))
        {
            using var put = await woo.SendAsync(connection.Url, credentials, HttpMethod.Put, $"webhooks/{hook["id"]}", new { status = "active" }, ct);
            await WooCommerceClient.EnsureSuccessAsync(put, "re-enable the webhook", ct);
            repaired++;
        }
        await SaveWebhookIdsAsync(db, connection, ids, ct);
        return repaired;
    }

    // ---------------- Shopify ----------------

    private const string OrdersQuery = """
        query BackfillOrders($query: String!, $after: String) {
          orders(first: 50, after: $after, sortKey: UPDATED_AT, query: $query) {
            pageInfo { hasNextPage endCursor }
            nodes {
              legacyResourceId email updatedAt createdAt processedAt displayFinancialStatus displayFulfillmentStatus currencyCode
              totalPriceSet { shopMoney { amount currencyCode } }
              subtotalPriceSet { shopMoney { amount } }
              customer { legacyResourceId email firstName lastName phone }
              discountCodes
              refunds { legacyResourceId createdAt note totalRefundedSet { shopMoney { amount currencyCode } } }
            }
          }
        }
        """;

    private async Task<(int Queued, DateTimeOffset? Through)> BackfillShopifyAsync(
        LoyaltyDbContext db, TimeProvider clock, StoreConnection connection, StoreCredentials credentials, DateTimeOffset after, CancellationToken ct)
    {
        var queued = 0;
        DateTimeOffset? through = null;
        string? cursor = null;
        var filter = $"updated_at:>'{after.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}'";
        for (var page = 1; page <= MaxPagesPerRun; page++)
        {
            var data = await shopify.QueryAsync(connection.Url, credentials, OrdersQuery, new { query = filter, after = cursor }, ct);
            var orders = data["orders"];
            foreach (var node in (orders?["nodes"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (DateTimeOffset.TryParse((string?)node["updatedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var updated) && (through is null || updated > through))
                    through = updated;
                // Paid (wholly or partly refunded since) orders are awarded like their webhook: a fulfilled one as
                // orders/fulfilled (completed: awarded on either setting), an unfulfilled one as orders/paid (pending, or
                // nothing when awarding on completion only); others are not orders to award yet. The fulfilment state is
                // part of the key, so an order back-filled as paid is back-filled again once fulfilled.
                if ((string?)node["displayFinancialStatus"] is not ("PAID" or "PARTIALLY_REFUNDED" or "REFUNDED"))
                    continue;
                var id = (string?)node["legacyResourceId"];
                if (id is null)
                    continue;
                var fulfilled = (string?)node["displayFulfillmentStatus"] == "FULFILLED";
                if (await QueueAsync(db, clock, connection, fulfilled ? "orders/fulfilled" : "orders/paid", $"reconciliation:{id}:{(fulfilled ? "fulfilled" : "paid")}",
                        RestOrder(node, id, fulfilled).ToJsonString(), ct))
                    queued++;
                // Its refunds, as refunds/create would have sent them (one reversal per refund id, whichever path comes first).
                foreach (var refund in (node["refunds"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var refundId = (string?)refund["legacyResourceId"];
                    var amount = (string?)refund["totalRefundedSet"]?["shopMoney"]?["amount"];
                    if (refundId is null || amount is null)
                        continue;
                    var body = new JsonObject
                    {
                        ["id"] = long.TryParse(refundId, out var r) ? r : refundId,
                        ["order_id"] = long.TryParse(id, out var o) ? o : id,
                        ["created_at"] = (string?)refund["createdAt"],
                        ["note"] = (string?)refund["note"],
                        ["transactions"] = new JsonArray(new JsonObject { ["kind"] = "refund", ["status"] = "success", ["amount"] = amount }),
                    };
                    if (await QueueAsync(db, clock, connection, "refunds/create", $"reconciliation:refund:{refundId}", body.ToJsonString(), ct))
                        queued++;
                }
            }
            if (orders?["pageInfo"]?["hasNextPage"]?.GetValue<bool>() != true)
                break;
            cursor = (string?)orders["pageInfo"]!["endCursor"];
        }
        return (queued, through);
    }

    /// <summary>The Admin GraphQL order in the shape of the orders/paid (or orders/fulfilled) webhook body (what the handler reads).</summary>
    private static JsonObject RestOrder(JsonObject node, string id, bool fulfilled)
    {
        var customer = node["customer"] as JsonObject;
        return new JsonObject
        {
            ["id"] = long.TryParse(id, out var n) ? n : id,
            ["email"] = (string?)node["email"],
            ["currency"] = (string?)node["totalPriceSet"]?["shopMoney"]?["currencyCode"] ?? (string?)node["currencyCode"],
            ["total_price"] = (string?)node["totalPriceSet"]?["shopMoney"]?["amount"],
            ["subtotal_price"] = (string?)node["subtotalPriceSet"]?["shopMoney"]?["amount"],
            ["created_at"] = (string?)node["createdAt"],
            ["processed_at"] = (string?)node["processedAt"],
            ["updated_at"] = (string?)node["updatedAt"],
            ["financial_status"] = ((string?)node["displayFinancialStatus"])?.ToLowerInvariant(),
            ["fulfillment_status"] = fulfilled ? "fulfilled" : null,
            ["customer"] = customer is null ? null : new JsonObject
            {
                ["id"] = (string?)customer["legacyResourceId"], ["email"] = (string?)customer["email"], ["first_name"] = (string?)customer["firstName"],
                ["last_name"] = (string?)customer["lastName"], ["phone"] = (string?)customer["phone"],
            },
            ["discount_codes"] = new JsonArray([.. (node["discountCodes"] as JsonArray ?? []).Select(c => (JsonNode)new JsonObject { ["code"] = (string?)c })]),
        };
    }

    private async Task<int> RepairShopifyWebhooksAsync(LoyaltyDbContext db, StoreConnection connection, StoreCredentials credentials, CancellationToken ct)
    {
        var url = options.Value.DeliveryUrl(connection.Platform, connection.Id);
        var data = await shopify.QueryAsync(connection.Url, credentials, "query Subscriptions { webhookSubscriptions(first: 100) { nodes { id topic uri } } }", null, ct);
        var ours = (data["webhookSubscriptions"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>().Where(s => (string?)s["uri"] == url).ToList();
        var ids = ours.Select(s => (string?)s["id"]).OfType<string>().ToList();
        var repaired = 0;
        foreach (var topic in ShopifyClient.WebhookTopics.Where(t => !ours.Any(s => (string?)s["topic"] == t)))
        {
            var id = await shopify.CreateWebhookAsync(connection.Url, credentials, topic, url, ct)
                ?? throw new StoreCredentialsInvalidException("The access token may no longer create webhook subscriptions: add them by hand.");
            ids.Add(id);
            repaired++;
        }
        await SaveWebhookIdsAsync(db, connection, ids, ct);
        return repaired;
    }

    private static async Task SaveWebhookIdsAsync(LoyaltyDbContext db, StoreConnection connection, List<string> ids, CancellationToken ct)
    {
        var joined = string.Join(",", ids.Distinct().Order(StringComparer.Ordinal));
        if (joined.Length <= 2000 && joined != string.Join(",", connection.WebhookIdList.Order(StringComparer.Ordinal)))
            await db.StoreConnections.Where(c => c.Id == connection.Id && c.Status != StoreConnectionStatus.Disconnected)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.WebhookIds, joined), ct);
    }
}
