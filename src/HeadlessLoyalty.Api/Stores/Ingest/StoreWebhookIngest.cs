using System.Security.Cryptography;
using System.Text;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>
/// <c>POST /webhooks/woocommerce/{connection}</c> and <c>POST /webhooks/shopify/{connection}</c>: the store's deliveries.
/// The raw body's HMAC-SHA256 (base64, <c>X-WC-Webhook-Signature</c> / <c>X-Shopify-Hmac-Sha256</c>) is checked in
/// constant time against the connection's secret; the delivery is persisted in the inbox (<see cref="StoreDelivery"/>)
/// and only then answered 200; the processor handles it in the background (woken by <see cref="StoreDeliverySignal"/>).
/// <list type="bullet">
/// <item>Unknown connection (or another platform's): 404. Disconnected: 410 (its secret is erased).</item>
/// <item>WooCommerce's unsigned ping (form body <c>webhook_id=N</c>, no X-WC headers): 200, nothing changes.</item>
/// <item>Bad or missing signature: 401 and a FAILED receipt whose reason says the secrets differ (the body is not kept).</item>
/// <item>Paused connection: 200 and a SKIPPED receipt. A replay (dedupe key taken): 200 and an IGNORED receipt.</item>
/// </list>
/// </summary>
public static class StoreWebhookIngest
{
    /// <summary>Largest body accepted (a big order with many lines is well below).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public const string SignatureMismatchReason =
        "Signature mismatch: the delivery is not signed with this connection's webhook secret (the secret on the store differs from ours: copy it again, or reconnect the store).";

    public static WebApplication MapStoreWebhooks(this WebApplication app)
    {
        app.MapPost("/webhooks/woocommerce/{connection}", (HttpContext http, string connection) => HandleAsync(http, StorePlatform.WooCommerce, connection))
            .ExcludeFromDescription();
        app.MapPost("/webhooks/shopify/{connection}", (HttpContext http, string connection) => HandleAsync(http, StorePlatform.Shopify, connection))
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Answer(int status, string message) => Results.Json(new { message }, statusCode: status);

    public static async Task<IResult> HandleAsync(HttpContext http, StorePlatform platform, string connection)
    {
        var ct = http.RequestAborted;
        if (!Guid.TryParse(connection, out var connectionId))
            return Answer(404, "No such store connection.");
        if (http.Request.ContentLength > MaxBodyBytes)
            return Answer(413, "The body is too large.");
        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null)
            return Answer(413, "The body is too large.");

        var services = http.RequestServices;
        var cache = services.GetRequiredService<StoreWebhookTargetCache>();
        var target = await cache.GetAsync(connectionId, platform, () => services.GetRequiredService<StoreWebhookTargets>().FindAsync(connectionId, platform, ct));
        if (target is null)
            return Answer(404, "No such store connection.");
        var headers = http.Request.Headers;
        if (platform == StorePlatform.WooCommerce && IsWooCommercePing(headers, body))
            return Answer(200, "pong");
        if (target.Status == StoreConnectionStatus.Disconnected || target.WebhookSecret is null)
            return Answer(410, "This store connection is disconnected.");

        services.GetRequiredService<TenantContext>().Set(target.ProgramId);
        var db = services.GetRequiredService<LoyaltyDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        // lastDeliveryAt to the second: one UPDATE per second at most under load.
        if (cache.ShouldTouch(connectionId, target.LastDeliveryAt, now))
            await services.GetRequiredService<StoreWebhookTargets>().TouchLastDeliveryAsync(connectionId, now, ct);

        var (topicHeader, signatureHeader, deliveryHeader) = platform == StorePlatform.WooCommerce
            ? ("X-WC-Webhook-Topic", "X-WC-Webhook-Signature", "X-WC-Webhook-Delivery-ID")
            : ("X-Shopify-Topic", "X-Shopify-Hmac-Sha256", "X-Shopify-Webhook-Id");
        var topic = Header(headers, topicHeader, StoreDelivery.MaxTopicLength) ?? "unknown";
        var deliveryId = Header(headers, deliveryHeader, 100);
        var eventId = platform == StorePlatform.Shopify ? Header(headers, "X-Shopify-Event-Id", 100) : null;

        if (!SignatureMatches(body, target.WebhookSecret, headers[signatureHeader].ToString()))
        {
            await InsertAsync(db, Receipt(target, topic, deliveryId, eventId, null, null, null, "", StoreDeliveryStatus.Failed,
                headers.ContainsKey(signatureHeader) ? SignatureMismatchReason : $"Unsigned delivery: no {signatureHeader} header.", now), ct);
            return Answer(401, "Signature mismatch.");
        }

        var facts = StoreDeliveryFacts.Parse(platform, topic, deliveryId, eventId, body);
        var text = Encoding.UTF8.GetString(body);
        if (facts.Error is { } error)
        {
            // Not even parseable: nothing replays it, and the body may still carry an address; the reason says what was wrong.
            await InsertAsync(db, Receipt(target, topic, deliveryId, eventId, null, null, null, "", StoreDeliveryStatus.Failed, error, now), ct);
            return Answer(200, "Recorded as failed: " + error);
        }
        if (!target.IsLive)
        {
            await InsertAsync(db, Receipt(target, topic, deliveryId, eventId, null, facts.ResourceId, facts.EmailHash, "", StoreDeliveryStatus.Skipped,
                "The store connection is paused: the delivery is logged and skipped.", now), ct);
            return Answer(200, "Skipped: the connection is paused.");
        }

        var delivery = Receipt(target, topic, deliveryId, eventId, facts.DedupeKey, facts.ResourceId, facts.EmailHash, text, StoreDeliveryStatus.Pending, null, now);
        if (!await TryInsertAsync(db, delivery, ct))
        {
            // A replay (or a concurrent twin that won the insert): its receipt, and nothing processed twice.
            await InsertAsync(db, Receipt(target, topic, deliveryId, eventId, null, facts.ResourceId, facts.EmailHash, "", StoreDeliveryStatus.Ignored,
                $"Duplicate of an earlier delivery ({facts.DedupeKey}).", now), ct);
            return Answer(200, "Duplicate: already received.");
        }
        services.GetRequiredService<StoreDeliverySignal>().Pulse();
        return Answer(200, "Accepted.");
    }

    /// <summary>Inserts a pending delivery through the same path as the webhooks; false when its dedupe key is taken.</summary>
    public static async Task<bool> TryInsertAsync(LoyaltyDbContext db, StoreDelivery delivery, CancellationToken ct)
    {
        try
        {
            await InsertAsync(db, delivery, ct);
            return true;
        }
        catch (DbUpdateException e) when (WriteTransaction.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private static async Task InsertAsync(LoyaltyDbContext db, StoreDelivery delivery, CancellationToken ct)
    {
        db.StoreDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    internal static StoreDelivery Receipt(
        StoreWebhookTarget target, string topic, string? deliveryId, string? eventId, string? key, string? resourceId, string? emailHash,
        string body, StoreDeliveryStatus status, string? reason, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        ConnectionId = target.ConnectionId,
        Platform = target.Platform,
        Topic = topic,
        DedupeKey = key,
        ExternalDeliveryId = deliveryId,
        EventId = eventId,
        ResourceId = resourceId,
        EmailHash = emailHash,
        Body = body,
        Status = status,
        Reason = reason,
        Source = StoreDeliverySources.Webhook,
        ReceivedAt = now,
        ProcessedAt = status == StoreDeliveryStatus.Pending ? null : now,
    };

    /// <summary>base64(HMAC-SHA256(raw body, secret)) compared in constant time; a header that is not base64 never matches.</summary>
    public static bool SignatureMatches(ReadOnlySpan<byte> body, string secret, string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return false;
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(header.Trim(), given, out var written))
            return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given[..written]);
    }

    /// <summary>The signature a store sends for <paramref name="body"/> (tests and the benchmark sign with it).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>WooCommerce's ping after a webhook is created: form body <c>webhook_id=N</c>, no X-WC headers, no signature.</summary>
    private static bool IsWooCommercePing(IHeaderDictionary headers, byte[] body) =>
        !headers.ContainsKey("X-WC-Webhook-Signature") && !headers.ContainsKey("X-WC-Webhook-Topic")
        && body.Length < 64 && Encoding.ASCII.GetString(body).StartsWith("webhook_id=", StringComparison.Ordinal);

    private static string? Header(IHeaderDictionary headers, string name, int max)
    {
        var value = headers[name].ToString().Trim();
        return value.Length == 0 ? null : value.Length <= max ? value : value[..max];
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and <= MaxBodyBytes ? (int)request.ContentLength : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

/// <summary>Wakes the processor when a delivery is inserted (in this instance; other instances poll).</summary>
public sealed class StoreDeliverySignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Pulse()
    {
        try
        {
            if (_signal.CurrentCount == 0)
                _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// The ingest's look-ups of connections (and their decrypted secrets), kept for
/// <see cref="StoreIngestOptions.TargetCacheTime"/> of real time: under load, a delivery costs one INSERT, not a
/// SELECT and a Data Protection decryption too. A pause or disconnect is therefore seen by the endpoint within that
/// time; the processor reads the connection's status again before processing, so a delivery accepted in that window
/// is still SKIPPED.
/// </summary>
public sealed class StoreWebhookTargetCache(Microsoft.Extensions.Options.IOptions<StoreIngestOptions> options)
{
    private sealed record Entry(StoreWebhookTarget? Target, long ExpiresAt);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, StorePlatform), Entry> _targets = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTimeOffset> _touched = new();

    public async Task<StoreWebhookTarget?> GetAsync(Guid id, StorePlatform platform, Func<Task<StoreWebhookTarget?>> load)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_targets.TryGetValue((id, platform), out var entry) && entry.ExpiresAt > now)
            return entry.Target;
        var target = await load();
        var ttl = options.Value.TargetCacheTime;
        if (ttl > TimeSpan.Zero)
            _targets[(id, platform)] = new Entry(target, now + (long)(ttl.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
        return target;
    }

    /// <summary>True when lastDeliveryAt is more than a second old (as stored, or as this instance last set it); records the touch.</summary>
    public bool ShouldTouch(Guid id, DateTimeOffset? stored, DateTimeOffset now)
    {
        var last = _touched.TryGetValue(id, out var mine) && (stored is null || mine > stored) ? mine : stored;
        if (last is { } l && l >= now.AddSeconds(-1))
            return false;
        _touched[id] = now;
        return true;
    }
}
