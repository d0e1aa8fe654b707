namespace HeadlessLoyalty.Api.Stores;

/// <summary>The <c>Stores</c> configuration section (store connections).</summary>
public sealed class StoresOptions
{
    /// <summary>
    /// Development and tests only: accept <c>http://127.0.0.1</c> (and other loopback) store URLs. Store URLs are
    /// otherwise HTTPS only (WooCommerce's Basic auth is only safe over TLS). Default false.
    /// </summary>
    public bool AllowLoopbackHttp { get; set; }

    /// <summary>
    /// The public base URL of this API as stores reach it (e.g. <c>https://loyalty.example.com</c>): webhook delivery
    /// URLs are <c>{PublicBaseUrl}/webhooks/{platform}/{connection id}</c>. Default <c>http://localhost:5000</c>.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>The Shopify Admin API version called (<c>/admin/api/{version}/graphql.json</c>). Default 2025-07 (webhook subscriptions take <c>uri</c>).</summary>
    public string ShopifyApiVersion { get; set; } = "2025-07";

    /// <summary>Timeout of one HTTP request to a store. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a transient store failure (transport error, 408, 429, 5xx, Shopify THROTTLED). Default 3.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>First retry delay (doubling, jittered) when the store names no wait (Retry-After, throttle status). Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two retries (a longer <c>Retry-After</c> or throttle wait gives up). Default 10 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How old a store coupon journal entry must be before the <c>store-coupon-recovery</c> job treats its redemption as
    /// dead and deletes the code on the store. Longer than any redemption can take (store calls time out and give up
    /// well within it); a redemption that somehow outlives it fails instead of committing. Default 5 minutes.
    /// </summary>
    public TimeSpan CouponRecoveryGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The delivery URL of a connection for a platform.</summary>
    public string DeliveryUrl(StorePlatform platform, Guid connectionId) =>
        $"{PublicBaseUrl.TrimEnd('/')}/webhooks/{StoreUrls.PathSegment(platform)}/{connectionId:D}";
}
