using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Tests.Stores.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HeadlessLoyalty.Api.Tests.Stores;

/// <summary>
/// The fakes' own contract (what the ingest tests rely on): the unsigned WooCommerce ping, signed deliveries whose
/// HMAC is over the raw PHP-escaped bytes, Shopify's headers, and a GraphQL fake that answers any well-formed
/// document (literals, aliases, only the selected fields), not one client's strings.
/// </summary>
public sealed class FakeStoreTests
{
    private sealed record Hit(Dictionary<string, string> Headers, byte[] Body, string? ContentType);

    /// <summary>A receiver on 127.0.0.1 that records every request.</summary>
    private static async Task<(WebApplication App, string Url, ConcurrentQueue<Hit> Hits)> ReceiverAsync()
    {
        var hits = new ConcurrentQueue<Hit>();
        var (app, url) = await FakeStoreHost.StartAsync(a => a.MapPost("/in", async (HttpContext c) =>
        {
            using var buffer = new MemoryStream();
            await c.Request.Body.CopyToAsync(buffer);
            hits.Enqueue(new Hit(c.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray(), c.Request.ContentType));
            return Results.Ok();
        }));
        return (app, $"{url}/in", hits);
    }

    private static HttpRequestMessage Woo(HttpMethod method, string url, object? body = null, string key = FakeWooCommerce.DefaultKey, string secret = FakeWooCommerce.DefaultSecret)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}:{secret}")));
        if (body is not null)
            request.Content = JsonContent.Create(body);
        return request;
    }

    [Fact]
    public void Php_json_escapes_slashes_and_non_ascii_like_json_encode() =>
        Assert.Equal("""{"url":"https:\/\/shop.example.com\/","name":"Ren\u00e9e \ud83d\ude00","n":1}""",
            FakeStoreHost.PhpJson(new JsonObject { ["url"] = "https://shop.example.com/", ["name"] = "Renée 😀", ["n"] = 1 }));

    [Fact]
    public async Task Woocommerce_pings_unsigned_after_creating_a_webhook_then_signs_order_deliveries_over_the_raw_bytes()
    {
        await using var woo = await FakeWooCommerce.StartAsync();
        var (receiver, url, hits) = await ReceiverAsync();
        await using var _ = receiver;
        using var http = new HttpClient();

        using var created = await http.SendAsync(Woo(HttpMethod.Post, $"{woo.Url}/wp-json/wc/v3/webhooks",
            new { name = "t", topic = "order.updated", delivery_url = url, secret = "abc123XYZ", status = "active" }));
        var createdBody = await created.Content.ReadAsStringAsync();
        await woo.PingsSentAsync();

        Assert.Equal(201, (int)created.StatusCode);
        Assert.Contains("\\/in", createdBody); // PHP-escaped
        Assert.DoesNotContain("abc123XYZ", createdBody); // the secret is write-only
        var ping = Assert.Single(hits);
        var id = (long)JsonNode.Parse(createdBody)!["id"]!;
        Assert.Equal($"webhook_id={id}", Encoding.UTF8.GetString(ping.Body));
        Assert.StartsWith("application/x-www-form-urlencoded", ping.ContentType);
        Assert.DoesNotContain(ping.Headers.Keys, k => k.StartsWith("X-WC-", StringComparison.OrdinalIgnoreCase));

        var order = new JsonObject
        {
            ["id"] = 4242, ["status"] = "processing", ["total"] = "19.90", ["billing"] = new JsonObject { ["email"] = "renee@example.com", ["first_name"] = "Renée" },
            ["refunds"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = "-5.00" }),
        };
        var results = await woo.SendOrderUpdatedAsync(order);

        Assert.Equal(200, Assert.Single(results).Status);
        var delivery = hits.Last();
        var raw = Encoding.UTF8.GetString(delivery.Body);
        Assert.Contains("Ren\\u00e9e", raw);
        Assert.Equal(Convert.ToBase64String(HMACSHA256.HashData("abc123XYZ"u8.ToArray(), delivery.Body)), delivery.Headers["X-WC-Webhook-Signature"]);
        Assert.Equal((woo.HomeUrl, "order.updated", "order", "updated", id.ToString()), (delivery.Headers["X-WC-Webhook-Source"], delivery.Headers["X-WC-Webhook-Topic"],
            delivery.Headers["X-WC-Webhook-Resource"], delivery.Headers["X-WC-Webhook-Event"], delivery.Headers["X-WC-Webhook-ID"]));
        Assert.Equal(results[0].DeliveryId, delivery.Headers["X-WC-Webhook-Delivery-ID"]);
        Assert.True(woo.Orders.ContainsKey(4242));

        // A bad signature on demand (the ingest's 401 case).
        await woo.SendSignedAsync(woo.Webhooks[id], raw, signWith: "other");
        Assert.NotEqual(Convert.ToBase64String(HMACSHA256.HashData("abc123XYZ"u8.ToArray(), hits.Last().Body)), hits.Last().Headers["X-WC-Webhook-Signature"]);
    }

    [Fact]
    public async Task Woocommerce_auth_and_coupon_quirks()
    {
        await using var woo = await FakeWooCommerce.StartAsync();
        using var http = new HttpClient();
        async Task<(int, string)> Send(HttpRequestMessage r)
        {
            using var response = await http.SendAsync(r);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var wrongSecret = await Send(Woo(HttpMethod.Get, $"{woo.Url}/wp-json/wc/v3/webhooks", secret: "nope"));
        var unknownKey = await Send(Woo(HttpMethod.Get, $"{woo.Url}/wp-json/wc/v3/webhooks", key: "ck_who"));
        var queryAuth = await Send(new HttpRequestMessage(HttpMethod.Get, $"{woo.Url}/wp-json/wc/v3/webhooks?consumer_key={FakeWooCommerce.DefaultKey}&consumer_secret={FakeWooCommerce.DefaultSecret}"));
        var readOnlyWrite = await Send(Woo(HttpMethod.Post, $"{woo.Url}/wp-json/wc/v3/coupons", new { code = "X1" }, FakeWooCommerce.ReadOnlyKey, FakeWooCommerce.ReadOnlySecret));
        var first = await Send(Woo(HttpMethod.Post, $"{woo.Url}/wp-json/wc/v3/coupons", new { code = "DUP-1", amount = "5.00" }));
        var duplicate = await Send(Woo(HttpMethod.Post, $"{woo.Url}/wp-json/wc/v3/coupons", new { code = "dup-1", amount = "5.00" }));
        var lookup = await Send(Woo(HttpMethod.Get, $"{woo.Url}/wp-json/wc/v3/coupons?code=DUP-1"));
        var couponId = (long)JsonNode.Parse(first.Item2)!["id"]!;
        var trash = await Send(Woo(HttpMethod.Delete, $"{woo.Url}/wp-json/wc/v3/coupons/{couponId}"));
        var forced = await Send(Woo(HttpMethod.Delete, $"{woo.Url}/wp-json/wc/v3/coupons/{couponId}?force=true"));

        Assert.Equal(401, wrongSecret.Item1);
        Assert.Contains("woocommerce_rest_authentication_error", wrongSecret.Item2);
        Assert.Equal(401, unknownKey.Item1);
        Assert.Contains("woocommerce_rest_cannot_view", unknownKey.Item2);
        Assert.Equal(200, queryAuth.Item1);
        Assert.Equal(401, readOnlyWrite.Item1);
        Assert.Contains("woocommerce_rest_cannot_create", readOnlyWrite.Item2);
        Assert.Equal(201, first.Item1);
        Assert.Equal(400, duplicate.Item1);
        Assert.Contains("woocommerce_rest_coupon_code_already_exists", duplicate.Item2);
        Assert.Equal(couponId, (long)JsonNode.Parse(lookup.Item2)!.AsArray().Single()!["id"]!);
        Assert.Equal(501, trash.Item1);
        Assert.Equal(200, forced.Item1);
        Assert.Empty(woo.Coupons);
    }

    [Fact]
    public async Task Shopify_answers_any_document_with_literals_aliases_and_only_the_selected_fields()
    {
        await using var shop = await FakeShopify.StartAsync();
        using var http = new HttpClient();
        async Task<JsonObject> Gql(string query, object? variables = null, string? token = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{shop.Url}/admin/api/{FakeShopify.ApiVersion}/graphql.json") { Content = JsonContent.Create(new { query, variables }) };
            request.Headers.Add("X-Shopify-Access-Token", token ?? shop.AccessToken);
            using var response = await http.SendAsync(request);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            json["_status"] = (int)response.StatusCode;
            return json;
        }

        var denied = await Gql("{ shop { name } }", token: "wrong");
        var created = await Gql("""mutation { hook: webhookSubscriptionCreate(topic: ORDERS_PAID, webhookSubscription: { uri: "https://x.example/in", format: JSON }) { webhookSubscription { id topic } userErrors { message } } }""");
        var shopOnly = await Gql("query Q { s: shop { myshopifyDomain } }");
        var unknown = await Gql("{ customers(first: 1) { nodes { id } } }");
        shop.ThrottleNext();
        var throttled = await Gql("{ shop { name } }");

        Assert.Equal(401, (int)denied["_status"]!);
        var hook = created["data"]!["hook"]!["webhookSubscription"]!.AsObject();
        Assert.Equal("ORDERS_PAID", (string?)hook["topic"]);
        Assert.Equal(["id", "topic"], hook.Select(p => p.Key));
        Assert.Equal("https://x.example/in", Assert.Single(shop.Subscriptions.Values).Uri);
        Assert.Equal(["myshopifyDomain"], shopOnly["data"]!["s"]!.AsObject().Select(p => p.Key));
        Assert.Equal("undefinedField", (string?)unknown["errors"]![0]!["extensions"]!["code"]);
        Assert.Equal("THROTTLED", (string?)throttled["errors"]![0]!["extensions"]!["code"]);
        Assert.NotNull(throttled["extensions"]!["cost"]!["throttleStatus"]!["restoreRate"]);
    }

    [Fact]
    public async Task Shopify_deliveries_carry_the_headers_and_the_hmac_of_the_raw_body()
    {
        await using var shop = await FakeShopify.StartAsync();
        var (receiver, url, hits) = await ReceiverAsync();
        await using var _ = receiver;
        shop.Subscriptions["gid://shopify/WebhookSubscription/1"] = new FakeShopifySubscription("gid://shopify/WebhookSubscription/1", "ORDERS_PAID", url);
        shop.Subscriptions["gid://shopify/WebhookSubscription/2"] = new FakeShopifySubscription("gid://shopify/WebhookSubscription/2", "REFUNDS_CREATE", url);

        var results = await shop.SendOrderPaidAsync(new JsonObject { ["id"] = 820982911946154508, ["email"] = "jon@example.com", ["total_price"] = "10.00" }, eventId: "evt-1");
        await shop.SendOrderPaidAsync(new JsonObject { ["id"] = 820982911946154508 }, eventId: "evt-1"); // a retry: same event id

        Assert.Equal(200, Assert.Single(results).Status);
        Assert.Equal(2, hits.Count); // refunds/create got nothing
        var first = hits.First();
        Assert.Equal(("orders/paid", shop.ShopDomain, FakeShopify.ApiVersion, "evt-1"), (first.Headers["X-Shopify-Topic"], first.Headers["X-Shopify-Shop-Domain"],
            first.Headers["X-Shopify-API-Version"], first.Headers["X-Shopify-Event-Id"]));
        Assert.Equal(Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(shop.ClientSecret), first.Body)), first.Headers["X-Shopify-Hmac-Sha256"]);
        Assert.True(first.Headers.ContainsKey("X-Shopify-Webhook-Id") && first.Headers.ContainsKey("X-Shopify-Triggered-At"));
        Assert.NotEqual(first.Headers["X-Shopify-Webhook-Id"], hits.Last().Headers["X-Shopify-Webhook-Id"]);
        Assert.Equal("evt-1", hits.Last().Headers["X-Shopify-Event-Id"]);
    }
}
