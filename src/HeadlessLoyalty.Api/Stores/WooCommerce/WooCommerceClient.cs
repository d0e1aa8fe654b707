using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HeadlessLoyalty.Api.Stores.WooCommerce;

/// <summary>A coupon to create on a WooCommerce store (<c>discount_type</c> fixed_cart, percent, or free shipping).</summary>
public sealed record WooCoupon(string Code, string DiscountType, decimal Amount, bool FreeShipping, string Email, DateTimeOffset ExpiresAt, string Description);

/// <summary>
/// The WooCommerce REST API v3 calls a connection makes, with HTTP Basic auth (consumer key as user, secret as
/// password; stores are HTTPS only). Refusals: 401/403 → <see cref="StoreCredentialsInvalidException"/> (except
/// webhook creation, where a read-only key's 401 means manual setup); other failures → <see cref="StoreUnreachableException"/>.
/// <para>Query-string fallback: a proxy in front of some stores strips <c>Authorization</c>, and WooCommerce then answers
/// as to an anonymous caller (401 <c>woocommerce_rest_cannot_view</c> / <c>_create</c> / <c>_edit</c> / <c>_delete</c>, the
/// same as for an unknown key; a key that arrived with a wrong secret or too few rights is
/// <c>woocommerce_rest_authentication_error</c>). Such a 401 is retried once with
/// <c>?consumer_key=...&amp;consumer_secret=...</c>; when that is accepted, the store URL is remembered (in memory, per
/// instance) and its later calls use the query parameters directly. When both are refused the key is unknown: the
/// first answer stands.</para>
/// </summary>
public sealed class WooCommerceClient(IHttpClientFactory factory, ILogger<WooCommerceClient> log)
{
    /// <summary>Store URLs whose proxy strips Authorization (learned at the first refusal): they get query-string credentials.</summary>
    private readonly ConcurrentDictionary<string, bool> _queryStringAuth = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether this instance has learned that <paramref name="storeUrl"/> needs query-string credentials.</summary>
    public bool UsesQueryStringAuth(string storeUrl) => _queryStringAuth.ContainsKey(storeUrl);

    public const string WebhookTopic = "order.updated";

    /// <summary>Proves the key works and may read webhooks (exactly the permission needed next): <c>GET /webhooks?per_page=1</c>.</summary>
    public async Task VerifyAsync(string storeUrl, StoreCredentials credentials, CancellationToken ct)
    {
        using var response = await SendAsync(storeUrl, credentials, HttpMethod.Get, "webhooks?per_page=1", null, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new StoreCredentialsInvalidException($"WooCommerce refused the key ({await ErrorCodeAsync(response, ct)}).");
        await EnsureSuccessAsync(response, "verify the key", ct);
    }

    /// <summary>
    /// Registers an <c>order.updated</c> webhook to <paramref name="deliveryUrl"/> signed with <paramref name="secret"/>
    /// and returns its id; null when the key may not create webhooks (a read-only key: 401), i.e. manual setup.
    /// </summary>
    public async Task<string?> CreateWebhookAsync(string storeUrl, StoreCredentials credentials, string name, string deliveryUrl, string secret, CancellationToken ct)
    {
        var body = new { name, topic = WebhookTopic, delivery_url = deliveryUrl, secret, status = "active" };
        using var response = await SendAsync(storeUrl, credentials, HttpMethod.Post, "webhooks", body, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            return null;
        await EnsureSuccessAsync(response, "create the webhook", ct);
        return IdOf(await ReadAsync(response, ct));
    }

    /// <summary>Deletes a webhook for good (<c>force=true</c>: WooCommerce answers 501 without it). An unknown id counts as deleted.</summary>
    public async Task DeleteWebhookAsync(string storeUrl, StoreCredentials credentials, string webhookId, CancellationToken ct)
    {
        using var response = await SendAsync(storeUrl, credentials, HttpMethod.Delete, $"webhooks/{Uri.EscapeDataString(webhookId)}?force=true", null, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return;
        await EnsureSuccessAsync(response, "delete the webhook", ct);
    }

    /// <summary>
    /// Creates a single-use coupon restricted to the member's email and returns its id. A duplicate code (400
    /// <c>woocommerce_rest_coupon_code_already_exists</c>, e.g. our own earlier attempt whose answer was lost) is looked up
    /// with <c>GET /coupons?code=</c> and adopted when it is restricted to the same email; otherwise refused.
    /// </summary>
    public async Task<string> CreateCouponAsync(string storeUrl, StoreCredentials credentials, WooCoupon coupon, CancellationToken ct)
    {
        var body = new Dictionary<string, object?>
        {
            ["code"] = coupon.Code,
            ["discount_type"] = coupon.DiscountType,
            ["amount"] = coupon.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            ["individual_use"] = true,
            ["usage_limit"] = 1,
            ["usage_limit_per_user"] = 1,
            ["email_restrictions"] = new[] { coupon.Email },
            ["free_shipping"] = coupon.FreeShipping,
            ["date_expires_gmt"] = coupon.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            ["description"] = coupon.Description,
        };
        using var response = await SendAsync(storeUrl, credentials, HttpMethod.Post, "coupons", body, ct);
        if (response.StatusCode == HttpStatusCode.BadRequest && await ErrorCodeAsync(response, ct) == "woocommerce_rest_coupon_code_already_exists")
            return await AdoptExistingCouponAsync(storeUrl, credentials, coupon, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new StoreCredentialsInvalidException($"WooCommerce refused to create the coupon ({await ErrorCodeAsync(response, ct)}): the key needs read/write access.");
        await EnsureSuccessAsync(response, "create the coupon", ct);
        return IdOf(await ReadAsync(response, ct));
    }

    private async Task<string> AdoptExistingCouponAsync(string storeUrl, StoreCredentials credentials, WooCoupon coupon, CancellationToken ct) =>
        await FindCouponAsync(storeUrl, credentials, coupon.Code, coupon.Email, ct)
            ?? throw new StoreUnreachableException($"WooCommerce already has a coupon {coupon.Code} for someone else.");

    /// <summary>
    /// The id of the coupon <paramref name="code"/> (<c>GET /coupons?code=</c>) restricted to <paramref name="email"/>;
    /// null when the store has none (or only one for another email: not ours).
    /// </summary>
    public async Task<string?> FindCouponAsync(string storeUrl, StoreCredentials credentials, string code, string? email, CancellationToken ct)
    {
        using var response = await SendAsync(storeUrl, credentials, HttpMethod.Get, $"coupons?code={Uri.EscapeDataString(code)}", null, ct);
        await EnsureSuccessAsync(response, "look up the coupon", ct);
        var found = (await ReadAsync(response, ct)) as JsonArray ?? [];
        var same = found.OfType<JsonObject>().FirstOrDefault(c =>
            string.Equals((string?)c["code"], code, StringComparison.OrdinalIgnoreCase)
            && c["email_restrictions"] is JsonArray emails && emails.Any(e => string.Equals((string?)e, email, StringComparison.OrdinalIgnoreCase)));
        return same is null ? null : IdOf(same);
    }

    /// <summary>
    /// How many times the coupon was used on the store: <c>GET /coupons/{id}</c>, its <c>usage_count</c> (or, when the
    /// count is missing, the length of <c>used_by</c>): how we learn a coupon was used when no order delivery told us.
    /// Null when the store no longer has it (404). A refusal or an unreachable store throws, as every call.
    /// </summary>
    public async Task<int?> CouponUsageAsync(string storeUrl, StoreCredentials credentials, string couponId, CancellationToken ct)
    {
        using var response = await SendAsync(storeUrl, credentials, HttpMethod.Get, $"coupons/{Uri.EscapeDataString(couponId)}", null, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new StoreCredentialsInvalidException($"WooCommerce refused to read the coupon ({await ErrorCodeAsync(response, ct)}).");
        await EnsureSuccessAsync(response, "read the coupon", ct);
        var coupon = await ReadAsync(response, ct) as JsonObject ?? throw new StoreUnreachableException("WooCommerce answered the coupon with something that is not an object.");
        return coupon["usage_count"] switch
        {
            JsonValue v when v.TryGetValue<long>(out var n) => (int)Math.Min(n, int.MaxValue),
            JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            _ => (coupon["used_by"] as JsonArray)?.Count ?? 0,
        };
    }

    /// <summary>Deletes a coupon for good (<c>force=true</c>); an unknown id counts as deleted.</summary>
    public async Task DeleteCouponAsync(string storeUrl, StoreCredentials credentials, string couponId, CancellationToken ct)
    {
        using var response = await SendAsync(storeUrl, credentials, HttpMethod.Delete, $"coupons/{Uri.EscapeDataString(couponId)}?force=true", null, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return;
        await EnsureSuccessAsync(response, "delete the coupon", ct);
    }

    internal async Task<HttpResponseMessage> SendAsync(string storeUrl, StoreCredentials credentials, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(credentials.ConsumerKey) || string.IsNullOrEmpty(credentials.ConsumerSecret))
            throw new StoreCredentialsInvalidException("A WooCommerce connection needs consumerKey and consumerSecret.");
        if (UsesQueryStringAuth(storeUrl))
            return await SendOnceAsync(storeUrl, credentials, method, path, body, queryString: true, ct);
        var response = await SendOnceAsync(storeUrl, credentials, method, path, body, queryString: false, ct);
        if (!await IsAnonymousRefusalAsync(response, ct))
            return response;
        // Nothing was done for an anonymous caller, so the retry cannot double a write.
        var retry = await SendOnceAsync(storeUrl, credentials, method, path, body, queryString: true, ct);
        if (await IsAnonymousRefusalAsync(retry, ct))
        {
            retry.Dispose();
            return response; // an unknown key either way
        }
        response.Dispose();
        if (_queryStringAuth.TryAdd(storeUrl, true))
            log.LogWarning("WooCommerce at {Store} did not receive the Authorization header (a proxy strips it?): using consumer_key/consumer_secret query parameters for it", storeUrl);
        return retry;
    }

    private static async Task<bool> IsAnonymousRefusalAsync(HttpResponseMessage response, CancellationToken ct) =>
        response.StatusCode == HttpStatusCode.Unauthorized && (await ErrorCodeAsync(response, ct)).StartsWith("woocommerce_rest_cannot_", StringComparison.Ordinal);

    private async Task<HttpResponseMessage> SendOnceAsync(
        string storeUrl, StoreCredentials credentials, HttpMethod method, string path, object? body, bool queryString, CancellationToken ct)
    {
        var url = $"{storeUrl}/wp-json/wc/v3/{path}";
        if (queryString)
            url += $"{(path.Contains('?') ? '&' : '?')}consumer_key={Uri.EscapeDataString(credentials.ConsumerKey!)}&consumer_secret={Uri.EscapeDataString(credentials.ConsumerSecret!)}";
        var request = new HttpRequestMessage(method, url);
        if (!queryString)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.ConsumerKey}:{credentials.ConsumerSecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
            request.Content = JsonContent.Create(body);
        return await StoreHttp.SendAsync(factory.CreateClient(StoreHttp.ClientName), request, ct);
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw new StoreUnreachableException($"WooCommerce could not {what}: HTTP {(int)response.StatusCode} {await ErrorCodeAsync(response, ct)}.");
    }

    internal static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
        }
        catch (JsonException e)
        {
            throw new StoreUnreachableException($"WooCommerce answered with something that is not JSON ({e.Message}).");
        }
    }

    /// <summary>WooCommerce's error <c>code</c> (e.g. <c>woocommerce_rest_authentication_error</c>), or the status when the body has none.</summary>
    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["code"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return $"HTTP {(int)response.StatusCode}";
        }
    }

    private static string IdOf(JsonNode? node) => node?["id"] switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new StoreUnreachableException("WooCommerce answered without an id."),
    };
}
