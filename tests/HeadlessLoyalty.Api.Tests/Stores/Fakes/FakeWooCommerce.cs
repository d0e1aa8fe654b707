using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HeadlessLoyalty.Api.Tests.Stores.Fakes;

/// <summary>A webhook registered on the fake WooCommerce store.</summary>
public sealed record FakeWooWebhook(long Id, string Name, string Topic, string DeliveryUrl, string Secret)
{
    /// <summary>WooCommerce disables a webhook after this many consecutive failed deliveries.</summary>
    public const int MaxFailures = 7;

    public string Status { get; set; } = "active";
    /// <summary>Consecutive failed deliveries (any answer but 2xx); a success resets it.</summary>
    public int FailureCount { get; set; }
}

/// <summary>
/// A real WooCommerce REST API v3 stand-in on 127.0.0.1 (see docs/commerce-stores.md), quirks included:
/// <list type="bullet">
/// <item>HTTP Basic auth (or <c>consumer_key</c>/<c>consumer_secret</c> query parameters): no key or an unknown one is
/// answered as an anonymous caller, 401 <c>woocommerce_rest_cannot_view</c> (GET; <c>_create</c> for POST, <c>_edit</c> for
/// PUT, <c>_delete</c> for DELETE), a wrong secret 401 <c>woocommerce_rest_authentication_error</c>; a read-only key
/// (<see cref="AddKey"/>) may read but gets 401 <c>woocommerce_rest_cannot_create</c> on any write.
/// <see cref="StripsAuthorization"/>: a proxy in front of the store drops the Authorization header (query parameters still arrive).</item>
/// <item><c>GET/POST /webhooks</c>, <c>DELETE /webhooks/{id}</c> (501 without <c>force=true</c>); creating a webhook
/// sends the unsigned ping (form body <c>webhook_id=N</c>, no X-WC headers) to its delivery URL right away.</item>
/// <item><c>POST /coupons</c> (duplicate code: 400 <c>woocommerce_rest_coupon_code_already_exists</c>), <c>GET /coupons?code=</c>,
/// <c>GET /coupons/{id}</c> (<c>usage_count</c>, <c>used_by</c>: <see cref="UseCoupon"/>),
/// <c>DELETE /coupons/{id}</c> (501 without <c>force=true</c>).</item>
/// <item><c>GET /orders/{id}</c> and <c>GET /orders?modified_after=</c> over <see cref="Orders"/>; <c>GET /system_status</c>.</item>
/// <item>Every body is PHP-escaped JSON (<c>\/</c>, <c>\uXXXX</c>).</item>
/// </list>
/// Failure injection: <see cref="FailNext"/>. Sending: <see cref="SendOrderUpdatedAsync"/> delivers a real signed
/// <c>order.updated</c> to every active webhook of that topic; <see cref="SendPingAsync"/>, <see cref="SendSignedAsync"/> for the rest.
/// </summary>
public sealed class FakeWooCommerce : IAsyncDisposable
{
    public const string DefaultKey = "ck_fake_read_write";
    public const string DefaultSecret = "cs_fake_read_write";
    public const string ReadOnlyKey = "ck_fake_read_only";
    public const string ReadOnlySecret = "cs_fake_read_only";

    private readonly ConcurrentDictionary<string, (string Secret, bool ReadOnly)> _keys = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _failures = new();
    private long _nextWebhookId = 100, _nextCouponId = 500, _nextDeliveryId = 9000;
    private Microsoft.AspNetCore.Builder.WebApplication _app = null!;

    public string Url { get; private set; } = "";

    /// <summary>What X-WC-Webhook-Source carries: the home URL with its trailing slash.</summary>
    public string HomeUrl => Url + "/";

    public ConcurrentDictionary<long, FakeWooWebhook> Webhooks { get; } = new();
    public ConcurrentDictionary<long, JsonObject> Coupons { get; } = new();
    /// <summary>Orders served by <c>GET /orders</c> (the order JSON as WooCommerce returns it), by id.</summary>
    public ConcurrentDictionary<long, JsonObject> Orders { get; } = new();
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();
    /// <summary>Pings and deliveries sent, with the receiver's answers.</summary>
    public ConcurrentQueue<FakeDeliveryResult> Sent { get; } = new();
    /// <summary>Pending ping sends (await <see cref="PingsSentAsync"/> to know they arrived).</summary>
    private readonly ConcurrentQueue<Task> _pings = new();

    public static async Task<FakeWooCommerce> StartAsync()
    {
        var fake = new FakeWooCommerce();
        fake.AddKey(DefaultKey, DefaultSecret, readOnly: false);
        fake.AddKey(ReadOnlyKey, ReadOnlySecret, readOnly: true);
        (fake._app, fake.Url) = await FakeStoreHost.StartAsync(app => app.Map("/wp-json/wc/v3/{**path}", fake.HandleAsync));
        return fake;
    }

    public void AddKey(string key, string secret, bool readOnly) => _keys[key] = (secret, readOnly);

    /// <summary>True: a proxy in front of the store strips the Authorization header, so Basic credentials never arrive.</summary>
    public bool StripsAuthorization { get; set; }

    /// <summary>The next <paramref name="times"/> API requests fail with <paramref name="status"/> (and Retry-After when given).</summary>
    public void FailNext(int status, int times = 1, string? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
            _failures.Enqueue((status, retryAfter));
    }

    private int _lose;

    /// <summary>The next <paramref name="times"/> requests are carried out but answered 502 (the answer is lost on the way).</summary>
    public void LoseNextResponses(int times = 1) => Interlocked.Add(ref _lose, times);

    public async Task PingsSentAsync()
    {
        while (_pings.TryDequeue(out var ping))
            await ping;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string? body = null;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        var (status, json) = Handle(request, (string?)context.GetRouteValue("path") ?? "", body);
        if (Interlocked.Decrement(ref _lose) >= 0)
            (status, json) = (502, Error("fake_lost_response", "Bad gateway (the request was carried out)", 502));
        else
            Interlocked.Exchange(ref _lose, 0);
        Requests.Enqueue(new FakeRequest(request.Method, request.Path + request.QueryString, status, body));
        context.Response.StatusCode = status;
        if (json is not null)
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.WriteAsync(FakeStoreHost.PhpJson(json));
        }
    }

    private static JsonObject Error(string code, string message, int status) =>
        new() { ["code"] = code, ["message"] = message, ["data"] = new JsonObject { ["status"] = status } };

    private (int, JsonNode?) Handle(HttpRequest request, string path, string? body)
    {
        if (_failures.TryDequeue(out var failure))
        {
            if (failure.RetryAfter is { } after)
                request.HttpContext.Response.Headers.RetryAfter = after;
            return (failure.Status, Error("fake_failure", "Injected failure", failure.Status));
        }
        // Authentication: Basic, or the query-string fallback.
        string? key = request.Query["consumer_key"], secret = request.Query["consumer_secret"];
        if (!StripsAuthorization && AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var auth) && auth.Scheme == "Basic" && auth.Parameter is { } p)
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(p)).Split(':', 2);
            (key, secret) = (pair[0], pair.Length > 1 ? pair[1] : "");
        }
        if (key is null || !_keys.TryGetValue(key, out var known))
            return request.Method switch // WordPress's answer to an anonymous caller: the permission check of the route fails
            {
                "POST" => (401, Error("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.", 401)),
                "PUT" => (401, Error("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.", 401)),
                "DELETE" => (401, Error("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.", 401)),
                _ => (401, Error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)),
            };
        if (known.Secret != secret)
            return (401, Error("woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.", 401));
        var write = request.Method is "POST" or "PUT" or "DELETE";
        if (write && known.ReadOnly)
            return (401, Error("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.", 401));

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var force = request.Query["force"] == "true";
        var input = body is null ? null : JsonNode.Parse(body) as JsonObject;
        switch (request.Method, segments)
        {
            case ("GET", ["system_status"]):
                return (200, new JsonObject { ["environment"] = new JsonObject { ["home_url"] = Url, ["version"] = "9.4.2" } });
            case ("GET", ["webhooks"]):
                return (200, new JsonArray([.. Webhooks.Values.OrderBy(w => w.Id).Take(int.TryParse(request.Query["per_page"], out var n) ? n : 10).Select(WebhookJson)]));
            case ("POST", ["webhooks"]):
            {
                var id = Interlocked.Increment(ref _nextWebhookId);
                var hook = new FakeWooWebhook(id, (string?)input?["name"] ?? "", (string?)input?["topic"] ?? "", (string?)input?["delivery_url"] ?? "", (string?)input?["secret"] ?? "");
                if (hook.Topic.Length == 0 || hook.DeliveryUrl.Length == 0)
                    return (400, Error("rest_missing_callback_param", "Missing parameter(s): topic, delivery_url", 400));
                Webhooks[id] = hook;
                _pings.Enqueue(Task.Run(() => SendPingAsync(hook)));
                return (201, WebhookJson(hook));
            }
            case ("PUT", ["webhooks", var idText]):
            {
                if (!long.TryParse(idText, out var putId) || !Webhooks.TryGetValue(putId, out var hook))
                    return (404, Error("woocommerce_rest_webhook_invalid_id", "Invalid ID.", 404));
                if ((string?)input?["status"] is { } status)
                    hook.Status = status;
                return (200, WebhookJson(hook));
            }
            case ("DELETE", ["webhooks", var idText]):
                if (!force)
                    return (501, Error("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501));
                return long.TryParse(idText, out var whId) && Webhooks.TryRemove(whId, out var removed)
                    ? (200, WebhookJson(removed))
                    : (404, Error("woocommerce_rest_webhook_invalid_id", "Invalid ID.", 404));
            case ("POST", ["coupons"]):
            {
                var code = ((string?)input?["code"] ?? "").ToLowerInvariant(); // WooCommerce stores codes in lower case
                if (code.Length == 0)
                    return (400, Error("woocommerce_rest_empty_coupon_code", "The coupon code cannot be empty.", 400));
                if (Coupons.Values.Any(c => (string?)c["code"] == code))
                    return (400, Error("woocommerce_rest_coupon_code_already_exists", "The coupon code already exists", 400));
                var id = Interlocked.Increment(ref _nextCouponId);
                var coupon = (JsonObject)input!.DeepClone();
                coupon["id"] = id;
                coupon["code"] = code;
                coupon["usage_count"] = 0;
                coupon["used_by"] = new JsonArray();
                Coupons[id] = coupon;
                return (201, coupon.DeepClone());
            }
            case ("GET", ["coupons"]):
            {
                var code = ((string?)request.Query["code"] ?? "").ToLowerInvariant();
                return (200, new JsonArray([.. Coupons.Values.Where(c => code.Length == 0 || (string?)c["code"] == code).Select(c => c.DeepClone())]));
            }
            case ("GET", ["coupons", var idText]):
                return long.TryParse(idText, out var getId) && Coupons.TryGetValue(getId, out var found)
                    ? (200, found.DeepClone())
                    : (404, Error("woocommerce_rest_shop_coupon_invalid_id", "Invalid ID.", 404));
            case ("DELETE", ["coupons", var idText]):
                if (!force)
                    return (501, Error("woocommerce_rest_trash_not_supported", "Coupons do not support trashing.", 501));
                return long.TryParse(idText, out var cId) && Coupons.TryRemove(cId, out var gone)
                    ? (200, gone)
                    : (404, Error("woocommerce_rest_shop_coupon_invalid_id", "Invalid ID.", 404));
            case ("GET", ["orders", var idText]):
                return long.TryParse(idText, out var oId) && Orders.TryGetValue(oId, out var order)
                    ? (200, order.DeepClone())
                    : (404, Error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404));
            case ("GET", ["orders"]):
            {
                var after = DateTime.TryParse(request.Query["modified_after"], System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : DateTime.MinValue;
                var matching = Orders.Values
                    .Where(o => DateTime.TryParse((string?)o["date_modified_gmt"], System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var m) ? m > after : true)
                    .OrderBy(IdOf).ToList();
                // Paging as WordPress does it: per_page (default 10, at most 100), page from 1, totals in headers.
                var perPage = Math.Clamp(int.TryParse(request.Query["per_page"], out var pp) ? pp : 10, 1, 100);
                var pageNumber = Math.Max(1, int.TryParse(request.Query["page"], out var pg) ? pg : 1);
                request.HttpContext.Response.Headers["X-WP-Total"] = matching.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                request.HttpContext.Response.Headers["X-WP-TotalPages"] = ((matching.Count + perPage - 1) / perPage).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return (200, new JsonArray([.. matching.Skip((pageNumber - 1) * perPage).Take(perPage).Select(o => o.DeepClone())]));
            }
            default:
                return (404, Error("rest_no_route", "No route was found matching the URL and request method.", 404));
        }
    }

    /// <summary>A customer uses the coupon at checkout: WooCommerce bumps <c>usage_count</c> and appends the email to <c>used_by</c>.</summary>
    public void UseCoupon(string code, string email)
    {
        var coupon = Coupons.Values.Single(c => string.Equals((string?)c["code"], code, StringComparison.OrdinalIgnoreCase));
        lock (coupon)
        {
            coupon["usage_count"] = ((int?)coupon["usage_count"] ?? 0) + 1;
            ((JsonArray)coupon["used_by"]!).Add(email);
        }
    }

    private static long IdOf(JsonObject o) => long.Parse(o["id"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject WebhookJson(FakeWooWebhook w) => new()
    {
        ["id"] = w.Id, ["name"] = w.Name, ["status"] = w.Status, ["topic"] = w.Topic, ["resource"] = w.Topic.Split('.')[0],
        ["event"] = w.Topic.Split('.').ElementAtOrDefault(1), ["delivery_url"] = w.DeliveryUrl, // secret is write-only
    };

    /// <summary>The unsigned ping WooCommerce sends right after creating a webhook: form body <c>webhook_id=N</c>, no X-WC headers.</summary>
    public async Task<FakeDeliveryResult> SendPingAsync(FakeWooWebhook hook)
    {
        var result = await FakeStoreHost.PostAsync(hook.DeliveryUrl,
            new FormUrlEncodedContent([new("webhook_id", hook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]), [], "");
        Sent.Enqueue(result);
        return result;
    }

    /// <summary>
    /// Delivers <paramref name="order"/> (the JSON <c>GET /orders/{id}</c> returns; also stored in <see cref="Orders"/>)
    /// as <c>order.updated</c> to every active webhook of that topic, signed with each webhook's secret.
    /// </summary>
    public async Task<IReadOnlyList<FakeDeliveryResult>> SendOrderUpdatedAsync(JsonObject order)
    {
        Orders[IdOf(order)] = (JsonObject)order.DeepClone();
        var results = new List<FakeDeliveryResult>();
        foreach (var hook in Webhooks.Values.Where(w => w.Topic == "order.updated" && w.Status == "active").OrderBy(w => w.Id))
            results.Add(await SendSignedAsync(hook, FakeStoreHost.PhpJson(order)));
        return results;
    }

    /// <summary>
    /// One delivery of <paramref name="body"/> (sent byte for byte) to <paramref name="hook"/> with the X-WC-Webhook-*
    /// headers; signed with <paramref name="signWith"/> (default: the webhook's secret) so tests can send a bad signature.
    /// </summary>
    public async Task<FakeDeliveryResult> SendSignedAsync(FakeWooWebhook hook, string body, string? signWith = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var deliveryId = Interlocked.Increment(ref _nextDeliveryId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var parts = hook.Topic.Split('.');
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        var result = await FakeStoreHost.PostAsync(hook.DeliveryUrl, content,
        [
            new("X-WC-Webhook-Source", HomeUrl),
            new("X-WC-Webhook-Topic", hook.Topic),
            new("X-WC-Webhook-Resource", parts[0]),
            new("X-WC-Webhook-Event", parts.ElementAtOrDefault(1) ?? ""),
            new("X-WC-Webhook-ID", hook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("X-WC-Webhook-Delivery-ID", deliveryId),
            new("X-WC-Webhook-Signature", FakeStoreHost.Base64Hmac(signWith ?? hook.Secret, bytes)),
        ], deliveryId);
        Sent.Enqueue(result);
        // WooCommerce does not retry; after the 7th consecutive failure it disables the webhook.
        if (result.Status is >= 200 and < 300)
            hook.FailureCount = 0;
        else if (++hook.FailureCount >= FakeWooWebhook.MaxFailures)
            hook.Status = "disabled";
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await PingsSentAsync().ContinueWith(_ => { });
        await _app.DisposeAsync();
    }
}
