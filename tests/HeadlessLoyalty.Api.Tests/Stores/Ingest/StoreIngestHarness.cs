using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.Api.Tests.Stores.Fakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Stores.Ingest;

/// <summary>
/// A program with a WooCommerce and a Shopify connection, and a store's side of the webhooks: bodies signed with real
/// HMAC-SHA256 over the exact bytes sent, POSTed to the app's endpoints.
/// </summary>
internal sealed partial class StoreIngestHarness : IAsyncDisposable
{
    public const string WooSecret = "wcSecret0123456789abcdefABCDEF0123456789";
    public const string ShopSecret = "shopifyAppClientSecret42";

    public required LoyaltyApiFactory App { get; init; }
    public required string Slug { get; init; }
    public Guid Woo { get; private set; }
    public Guid Shop { get; private set; }
    private readonly HttpClient _http;

    private StoreIngestHarness(HttpClient http) => _http = http;

    public static async Task<StoreIngestHarness> StartAsync(string provider, StoreAwardOn awardOn = StoreAwardOn.ProcessingOrCompleted,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = await LoyaltyApiFactory.StartAsync(Enum.Parse<DatabaseProvider>(provider, ignoreCase: true), settings);
        var slug = NewSlug("si");
        await app.CreateProgramAsync(slug);
        var h = new StoreIngestHarness(app.CreateClient()) { App = app, Slug = slug };
        h.Woo = await h.AddConnectionAsync(StorePlatform.WooCommerce, "https://woo.example.com", WooSecret, awardOn: awardOn);
        h.Shop = await h.AddConnectionAsync(StorePlatform.Shopify, "https://demo.myshopify.com", ShopSecret, awardOn: awardOn);
        return h;
    }

    public async Task<Guid> AddConnectionAsync(StorePlatform platform, string url, string? secret,
        StoreConnectionStatus status = StoreConnectionStatus.Active, StoreAwardOn awardOn = StoreAwardOn.ProcessingOrCompleted,
        StoreCredentials? credentials = null, string webhookIds = "")
    {
        var id = Guid.NewGuid();
        var secrets = App.Services.GetRequiredService<StoreSecrets>();
        await App.WithTenantAsync(Slug, async db =>
        {
            db.StoreConnections.Add(new StoreConnection
            {
                Id = id, Platform = platform, Url = url, Status = status,
                ProtectedCredentials = secrets.ProtectCredentials(credentials ?? new StoreCredentials("ck_1", "cs_1", "shpat_1", ShopSecret)),
                ProtectedWebhookSecret = secret is null ? null : secrets.ProtectWebhookSecret(secret), WebhookIds = webhookIds,
                AwardOn = awardOn, ConnectedAt = App.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });
        return id;
    }

    public Task SetStatusAsync(Guid connection, StoreConnectionStatus status) =>
        Db(db => db.StoreConnections.Where(c => c.Id == connection).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status)));

    public Task<T> Db<T>(Func<LoyaltyDbContext, Task<T>> action) => App.WithTenantAsync(Slug, action);

    public async Task<HttpResponseMessage> PostWooAsync(Guid connection, string body, string topic = "order.updated", string? secret = WooSecret, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/woocommerce/{connection}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        request.Headers.Add("X-WC-Webhook-Source", "https://woo.example.com/");
        request.Headers.Add("X-WC-Webhook-Topic", topic);
        request.Headers.Add("X-WC-Webhook-Resource", topic.Split('.')[0]);
        request.Headers.Add("X-WC-Webhook-Event", topic.Split('.')[1]);
        request.Headers.Add("X-WC-Webhook-ID", "7");
        request.Headers.Add("X-WC-Webhook-Delivery-ID", Guid.NewGuid().ToString("N"));
        if (signature is not null || secret is not null)
            request.Headers.Add("X-WC-Webhook-Signature", signature ?? StoreWebhookIngest.Sign(bytes, secret!));
        return await _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostShopifyAsync(Guid connection, string topic, string body, string? eventId = null, string? secret = ShopSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/shopify/{connection}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Shop-Domain", "demo.myshopify.com");
        request.Headers.Add("X-Shopify-API-Version", "2025-01");
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Event-Id", eventId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Triggered-At", "2026-01-15T12:00:00Z");
        if (secret is not null)
            request.Headers.Add("X-Shopify-Hmac-Sha256", StoreWebhookIngest.Sign(bytes, secret));
        return await _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostRawAsync(string path, HttpContent content) => _http.PostAsync(path, content);

    public Task<int> ProcessAsync() => App.Services.GetRequiredService<StoreDeliveryProcessor>().RunPendingAsync();

    public Task<List<StoreDelivery>> DeliveriesAsync(Guid connection) =>
        Db(db => db.StoreDeliveries.AsNoTracking().Where(d => d.ConnectionId == connection).OrderBy(d => d.ReceivedAt).ThenBy(d => d.Id).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await App.DisposeAsync();
    }

    // ---------------- bodies ----------------

    /// <summary>A WooCommerce order as <c>GET /orders/{id}</c> returns it, encoded the way PHP's json_encode does (<c>\/</c>, <c>\uXXXX</c>: the fakes' <see cref="FakeStoreHost.PhpJson"/>).</summary>
    public static string WooOrder(long id, string status, string? email, string total = "100.00", long customerId = 0,
        IEnumerable<(long Id, string Total)>? refunds = null, IEnumerable<string>? coupons = null, string firstName = "Zoë", string currency = "USD",
        string totalTax = "0.00", string shippingTotal = "0.00")
    {
        var order = new JsonObject
        {
            ["id"] = id,
            ["parent_id"] = 0,
            ["number"] = id.ToString(),
            ["order_key"] = $"wc_order_{id}",
            ["status"] = status,
            ["currency"] = currency,
            ["total"] = total,
            ["total_tax"] = totalTax,
            ["shipping_total"] = shippingTotal,
            ["discount_total"] = "0.00",
            ["customer_id"] = customerId,
            ["date_created_gmt"] = "2026-01-14T10:00:00",
            ["date_paid_gmt"] = status is "processing" or "completed" or "refunded" ? "2026-01-14T10:05:00" : null,
            ["date_completed_gmt"] = status == "completed" ? "2026-01-14T11:00:00" : null,
            ["billing"] = new JsonObject
            {
                ["first_name"] = firstName, ["last_name"] = "Ångström", ["company"] = "", ["email"] = email ?? "", ["phone"] = "+1 555 0100",
            },
            ["line_items"] = new JsonArray(new JsonObject
            {
                ["id"] = 1, ["name"] = "Café mug 12/oz", ["product_id"] = 42, ["variation_id"] = 0, ["quantity"] = 1, ["sku"] = "MUG-12", ["price"] = decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture),
            }),
            ["coupon_lines"] = new JsonArray([.. (coupons ?? []).Select(c => (JsonNode)new JsonObject { ["id"] = 9, ["code"] = c, ["discount"] = "5.00" })]),
            ["refunds"] = new JsonArray([.. (refunds ?? []).Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["reason"] = "Returned / damaged", ["total"] = r.Total })]),
            ["_links"] = new JsonObject { ["self"] = new JsonArray(new JsonObject { ["href"] = $"https://woo.example.com/wp-json/wc/v3/orders/{id}" }) },
        };
        return FakeStoreHost.PhpJson(order);
    }

    public static string ShopifyOrder(long id, string? email, string total = "80.00", long? customerId = null, IEnumerable<string>? codes = null, string? subtotal = null) =>
        new JsonObject
        {
            ["id"] = id,
            ["name"] = $"#{id}",
            ["email"] = email,
            ["contact_email"] = email,
            ["currency"] = "USD",
            ["total_price"] = total,
            ["subtotal_price"] = subtotal ?? total,
            ["total_tax"] = "0.00",
            ["financial_status"] = "paid",
            ["created_at"] = "2026-01-14T09:00:00-05:00",
            ["processed_at"] = "2026-01-14T09:00:00-05:00",
            ["customer"] = customerId is null ? null : new JsonObject { ["id"] = customerId, ["email"] = email, ["first_name"] = "Sam", ["last_name"] = "Shopper", ["phone"] = null },
            ["discount_codes"] = new JsonArray([.. (codes ?? []).Select(c => (JsonNode)new JsonObject { ["code"] = c, ["amount"] = "5.00", ["type"] = "fixed_amount" })]),
            ["line_items"] = new JsonArray(new JsonObject { ["id"] = 1, ["product_id"] = 7, ["variant_id"] = 70, ["title"] = "Tee", ["quantity"] = 2, ["sku"] = "TEE", ["price"] = "40.00" }),
        }.ToJsonString();

    public static string ShopifyRefund(long id, long orderId, string amount) =>
        new JsonObject
        {
            ["id"] = id,
            ["order_id"] = orderId,
            ["created_at"] = "2026-01-15T09:00:00-05:00",
            ["note"] = "Customer changed their mind",
            ["refund_line_items"] = new JsonArray(new JsonObject { ["quantity"] = 1, ["subtotal"] = 40.0, ["total_tax"] = 0.0 }),
            ["transactions"] = new JsonArray(new JsonObject { ["id"] = id * 10, ["kind"] = "refund", ["status"] = "success", ["amount"] = amount, ["currency"] = "USD" }),
        }.ToJsonString();

    public static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement;

    [GeneratedRegex(@"\\u[0-9a-f]{4}")]
    public static partial Regex PhpUnicodeEscape();
}
