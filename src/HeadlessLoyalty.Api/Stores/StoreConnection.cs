using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Stores;

public enum StorePlatform { WooCommerce, Shopify }

public enum StoreConnectionStatus
{
    /// <summary>Credentials verified and our webhooks registered on the store.</summary>
    Active,
    /// <summary>Credentials verified but the key could not create webhooks: the merchant adds them by hand (delivery URL + secret).</summary>
    ManualSetup,
    /// <summary>Deliveries are logged and skipped; redemption is refused.</summary>
    Paused,
    /// <summary>Webhooks deleted on the store and the stored keys erased; reconnecting the same URL resumes this row.</summary>
    Disconnected,
}

/// <summary>When a store order becomes a purchase (awards points).</summary>
public enum StoreAwardOn { ProcessingOrCompleted, CompletedOnly }

/// <summary>
/// A program's connection to one WooCommerce or Shopify store, unique per (program, normalized URL): reconnecting the
/// same URL resumes this row. Secrets are encrypted with Data Protection (<see cref="StoreSecrets"/>) and never read
/// back through the API (the webhook secret is shown once, to an admin, for manual setup).
/// <para>Conventions the ingest and the coupon routing share: a purchase from this store carries
/// <c>Purchase.StoreId = <see cref="StoreKey"/></c>, and a store customer id is a <c>MemberExternalId</c> with
/// <c>Store = <see cref="StoreKey"/></c> (WooCommerce customer id, or the Shopify customer's numeric id).</para>
/// </summary>
public sealed class StoreConnection : ITenantOwned
{
    public const int MaxUrlLength = 500;

    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required StorePlatform Platform { get; init; }
    /// <summary>Normalized: lower-case scheme and host, no trailing slash, no query (<see cref="StoreUrls.Normalize"/>).</summary>
    public required string Url { get; init; }
    public required StoreConnectionStatus Status { get; set; }
    /// <summary>The API credentials (JSON of <see cref="StoreCredentials"/>), encrypted; null once disconnected.</summary>
    public string? ProtectedCredentials { get; set; }
    /// <summary>
    /// The webhook signing secret, encrypted: generated (alphanumeric) for WooCommerce, the app client secret for
    /// Shopify. Null once disconnected.
    /// </summary>
    public string? ProtectedWebhookSecret { get; set; }
    /// <summary>The ids of the webhooks we registered on the store, joined by ','; empty in manual setup or once disconnected.</summary>
    public string WebhookIds { get; set; } = "";
    /// <summary>True when the key could not create webhooks: the merchant must add them by hand (status MANUAL_SETUP unless paused).</summary>
    public bool ManualSetup { get; set; }

    // Settings (updateStoreSettings).
    public StoreAwardOn AwardOn { get; set; } = StoreAwardOn.ProcessingOrCompleted;
    /// <summary>Value of one point in the store's currency when points become a store discount.</summary>
    public decimal PointValue { get; set; } = 0.05m;
    public long MinRedeemPoints { get; set; } = 1000;
    public long? MaxRedeemPoints { get; set; }
    public string CouponPrefix { get; set; } = "POINTS";
    /// <summary>Days a points coupon created on this store stays valid (1 to 90).</summary>
    public int CouponValidityDays { get; set; } = 7;

    public required DateTimeOffset ConnectedAt { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public DateTimeOffset? ResumedAt { get; set; }
    public DateTimeOffset? DisconnectedAt { get; set; }
    /// <summary>The last webhook delivery received from the store (set by the ingest); null before the first.</summary>
    public DateTimeOffset? LastDeliveryAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }

    /// <summary>How purchases (<c>Purchase.StoreId</c>) and member external ids (<c>MemberExternalId.Store</c>) name this store.</summary>
    public string StoreKey => KeyOf(Id);

    public static string KeyOf(Guid connectionId) => connectionId.ToString("D");

    public IReadOnlyList<string> WebhookIdList => WebhookIds.Length == 0 ? [] : WebhookIds.Split(',');

    /// <summary>Redemption at this store (a coupon created there, a till's sale): refused while paused (STORE_PAUSED) or once disconnected (STORE_DISCONNECTED).</summary>
    public void EnsureRedeemable()
    {
        if (Status == StoreConnectionStatus.Paused)
            throw new StorePausedException(Id);
        if (Status == StoreConnectionStatus.Disconnected || ProtectedCredentials is null)
            throw new StoreDisconnectedException(Id);
    }

    /// <summary>The status a connection returns to when resumed or reconnected.</summary>
    public StoreConnectionStatus LiveStatus => ManualSetup ? StoreConnectionStatus.ManualSetup : StoreConnectionStatus.Active;

    /// <summary>Deliveries are processed and coupons created (ACTIVE or MANUAL_SETUP).</summary>
    public bool IsLive => Status is StoreConnectionStatus.Active or StoreConnectionStatus.ManualSetup;
}

/// <summary>
/// What a store's API takes. WooCommerce: <see cref="ConsumerKey"/> (ck_...) and <see cref="ConsumerSecret"/> (cs_...).
/// Shopify: <see cref="AccessToken"/> (Admin API access token) and <see cref="ClientSecret"/> (the app's client secret,
/// which signs Shopify's webhooks); optionally <see cref="ApiKey"/> (the app's API key: the audience of its POS session tokens).
/// </summary>
public sealed record StoreCredentials(string? ConsumerKey, string? ConsumerSecret, string? AccessToken, string? ClientSecret, string? ApiKey = null);

/// <summary>One line of a store connection's audit log (connect, disconnect, settings, pause/resume, coupon redemptions).</summary>
public sealed class StoreAuditEntry : ITenantOwned
{
    public const int MaxDetailLength = 1000;

    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid ConnectionId { get; init; }
    /// <summary>One of <see cref="StoreAuditActions"/>.</summary>
    public required string Action { get; init; }
    /// <summary>Who did it (<c>admin:...</c>, the redeeming actor, or <c>system</c>).</summary>
    public required string Actor { get; init; }
    public required string Detail { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

public static class StoreAuditActions
{
    public const string Connected = "CONNECTED";
    public const string Reconnected = "RECONNECTED";
    public const string Paused = "PAUSED";
    public const string Resumed = "RESUMED";
    public const string Disconnected = "DISCONNECTED";
    public const string SettingsUpdated = "SETTINGS_UPDATED";
    public const string CouponCreated = "COUPON_CREATED";
    public const string CouponDeleted = "COUPON_DELETED";
    public const string RedeemedAtPos = "REDEEMED_AT_POS";
}
