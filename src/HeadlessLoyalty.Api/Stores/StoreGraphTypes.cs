using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Stores;

public sealed class StorePlatformType : EnumerationGraphType
{
    public StorePlatformType()
    {
        Name = "StorePlatform";
        Description = "The commerce platform of a store connection.";
        Add("WOOCOMMERCE", StorePlatform.WooCommerce, "WooCommerce (REST API v3, consumer key and secret).");
        Add("SHOPIFY", StorePlatform.Shopify, "Shopify (Admin GraphQL API, access token and the app's client secret).");
    }
}

public sealed class StoreConnectionStatusType : EnumerationGraphType
{
    public StoreConnectionStatusType()
    {
        Name = "StoreConnectionStatus";
        Description = "Whether a store connection is feeding the program.";
        Add("ACTIVE", StoreConnectionStatus.Active, "Credentials verified and our webhooks registered on the store.");
        Add("MANUAL_SETUP", StoreConnectionStatus.ManualSetup, "Credentials verified, but the key could not create webhooks: add the webhook on the store by hand (`manualSetup` says how). Works like ACTIVE once deliveries arrive.");
        Add("PAUSED", StoreConnectionStatus.Paused, "Deliveries are logged and skipped, redemption refused (STORE_PAUSED) until resumeStore; nothing is back-filled.");
        Add("DISCONNECTED", StoreConnectionStatus.Disconnected, "Webhooks deleted on the store and keys erased; members keep their points. connectStore with the same URL resumes the connection.");
    }
}

public sealed class StoreAwardOnType : EnumerationGraphType
{
    public StoreAwardOnType()
    {
        Name = "StoreAwardOn";
        Description = "When a store order awards points.";
        Add("PROCESSING_OR_COMPLETED", StoreAwardOn.ProcessingOrCompleted, "When it is paid (WooCommerce `processing`, Shopify paid) or completed, whichever comes first (the default).");
        Add("COMPLETED_ONLY", StoreAwardOn.CompletedOnly, "Only when it is completed (WooCommerce `completed`, Shopify fulfilled).");
    }
}

/// <summary>The view of a connection's settings (its own GraphQL object).</summary>
public sealed record StoreSettingsView(StoreAwardOn AwardOn, decimal PointValue, long MinRedeemPoints, long? MaxRedeemPoints, string CouponPrefix, int CouponValidityDays)
{
    public static StoreSettingsView Of(StoreConnection c) => new(c.AwardOn, c.PointValue, c.MinRedeemPoints, c.MaxRedeemPoints, c.CouponPrefix, c.CouponValidityDays);
}

public sealed class StoreSettingsType : ObjectGraphType<StoreSettingsView>
{
    public StoreSettingsType()
    {
        Name = "StoreSettings";
        Description = "How a store's orders award points and how points become a discount at its checkout.";
        Field<NonNullGraphType<StoreAwardOnType>>("awardOn").Description("When an order awards points.").Resolve(c => c.Source.AwardOn);
        Field<NonNullGraphType<DecimalGraphType>>("pointValue").Description("Value of one point in the store's currency when points become a discount (default 0.05).").Resolve(c => c.Source.PointValue);
        Field<NonNullGraphType<LongGraphType>>("minRedeemPoints").Description("Fewest points one points discount may spend (default 1,000).").Resolve(c => c.Source.MinRedeemPoints);
        Field<LongGraphType>("maxRedeemPoints").Description("Most points one points discount may spend; null: no maximum.").Resolve(c => c.Source.MaxRedeemPoints);
        Field<NonNullGraphType<StringGraphType>>("couponPrefix").Description("Prefix of points-discount codes (`POINTS` gives `POINTS-AB12CD34`).").Resolve(c => c.Source.CouponPrefix);
        Field<NonNullGraphType<IntGraphType>>("couponValidityDays").Description("Days a points discount (applyPointsAtCheckout) stays usable on the store (1 to 90, default 7); unused, its points return an hour after.").Resolve(c => c.Source.CouponValidityDays);
    }
}

/// <summary>What a merchant does by hand when the key could not register webhooks.</summary>
public sealed record StoreManualSetupView(string DeliveryUrl, IReadOnlyList<string> Topics, string Instructions);

public sealed class StoreManualSetupType : ObjectGraphType<StoreManualSetupView>
{
    public StoreManualSetupType()
    {
        Name = "StoreManualSetup";
        Description = "How to add the webhook on the store by hand. The secret is shown once, by connectStore (WooCommerce), or is the app's client secret (Shopify).";
        Field<NonNullGraphType<StringGraphType>>("deliveryUrl").Description("The delivery URL to enter on the store.").Resolve(c => c.Source.DeliveryUrl);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("topics").Description("The topics to subscribe (WooCommerce `order.updated`; Shopify topic names).").Resolve(c => c.Source.Topics);
        Field<NonNullGraphType<StringGraphType>>("instructions").Description("Step-by-step text for people.").Resolve(c => c.Source.Instructions);
    }
}

public sealed class StoreConnectionType : ObjectGraphType<StoreConnection>
{
    public const string TypeName = "StoreConnection";

    public StoreConnectionType()
    {
        Name = TypeName;
        Description = "The program's connection to a WooCommerce or Shopify store. Credentials and secrets are stored encrypted and never shown here.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the connection.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<StorePlatformType>>("platform").Description("WOOCOMMERCE or SHOPIFY.").Resolve(c => c.Source.Platform);
        Field(s => s.Url).Description("The store's URL, normalized (https, lower-case host, no trailing slash): one connection per URL per program.");
        Field<NonNullGraphType<StoreConnectionStatusType>>("status").Description("ACTIVE, MANUAL_SETUP, PAUSED or DISCONNECTED.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<StringGraphType>>("deliveryUrl").Description("Where the store delivers webhooks for this connection.")
            .Resolve(c => Options(c).DeliveryUrl(c.Source.Platform, c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("webhookIds").Description("The store's ids of the webhooks we registered; empty in manual setup or once disconnected.").Resolve(c => c.Source.WebhookIdList);
        Field<StoreManualSetupType>("manualSetup").Description("How to add the webhook by hand; null unless the key could not register it.")
            .Resolve(c => c.Source.ManualSetup && c.Source.Status != StoreConnectionStatus.Disconnected ? ManualSetupOf(c.Source, Options(c)) : null);
        Field<NonNullGraphType<BooleanGraphType>>("hasCredentials").Description("True while encrypted credentials are stored (false once disconnected).").Resolve(c => c.Source.ProtectedCredentials is not null);
        Field<NonNullGraphType<StoreSettingsType>>("settings").Description("Award moment and points-discount settings.").Resolve(c => StoreSettingsView.Of(c.Source));
        Field<NonNullGraphType<DateTimeGraphType>>("connectedAt").Description("When it was (last) connected (UTC).").Resolve(c => c.Source.ConnectedAt.UtcDateTime);
        Field<DateTimeGraphType>("pausedAt").Description("When it was last paused (UTC); null if never.").Resolve(c => c.Source.PausedAt?.UtcDateTime);
        Field<DateTimeGraphType>("resumedAt").Description("When it was last resumed or reconnected (UTC); null if never.").Resolve(c => c.Source.ResumedAt?.UtcDateTime);
        Field<DateTimeGraphType>("disconnectedAt").Description("When it was disconnected (UTC); null unless disconnected.").Resolve(c => c.Source.DisconnectedAt?.UtcDateTime);
        Field<DateTimeGraphType>("lastDeliveryAt").Description("When the store's last webhook delivery arrived (UTC), whatever its outcome; null before the first.").Resolve(c => c.Source.LastDeliveryAt?.UtcDateTime);
        // The ingest's monitoring (deliveryStats, deliveries): see Stores/Ingest.
        Ingest.StoreDeliveryFields.AddTo(this, s => s.Id);
        Field<StoreReconciliationType>("reconciliation")
            .Description("Where the store-reconciliation job stands for this connection; null before its first run.")
            .ResolveAsync(async c => await c.Db().StoreReconciliationStates.AsNoTracking().FirstOrDefaultAsync(s => s.ConnectionId == c.Source.Id, c.CancellationToken));
        Field<NonNullGraphType<IntGraphType>>("couponsAwaitingRecovery")
            .Description("Store coupons of redemptions that never committed (a crash or a lost store answer) that store-coupon-recovery has still to delete on this store; normally 0.")
            .ResolveAsync(async c => await c.Db().StoreCouponIntents.AsNoTracking().CountAsync(i => i.Target == c.Source.StoreKey, c.CancellationToken));
    }

    private static StoresOptions Options(global::GraphQL.IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IOptions<StoresOptions>>().Value;

    internal static StoreManualSetupView ManualSetupOf(StoreConnection c, StoresOptions options)
    {
        var url = options.DeliveryUrl(c.Platform, c.Id);
        return c.Platform == StorePlatform.WooCommerce
            ? new StoreManualSetupView(url, [WooCommerce.WooCommerceClient.WebhookTopic],
                $"In WooCommerce > Settings > Advanced > Webhooks, add a webhook: status Active, topic Order updated, delivery URL {url}, secret: the one connectStore showed, API version WP REST API Integration v3.")
            : new StoreManualSetupView(url, [.. Shopify.ShopifyClient.WebhookTopics],
                $"In the Shopify app's configuration, subscribe each topic to {url} in JSON; deliveries are signed with the app's client secret.");
    }
}

public sealed class StoreReconciliationType : ObjectGraphType<Ingest.StoreReconciliationState>
{
    public StoreReconciliationType()
    {
        Name = "StoreReconciliation";
        Description = "The last store-reconciliation run of a connection: orders back-filled, webhooks repaired, and the store's failure if it had one.";
        Field<DateTimeGraphType>("lastRunAt").Description("When it last ran (UTC).").Resolve(c => c.Source.LastRunAt?.UtcDateTime);
        Field<DateTimeGraphType>("ordersModifiedThrough").Description("The store's latest order modification time back-filled so far (UTC); the next run asks for orders modified after it (minus a minute).").Resolve(c => c.Source.OrdersModifiedThrough?.UtcDateTime);
        Field(s => s.LastOrdersQueued).Description("Orders the last run queued through the webhook inbox (states no webhook had delivered).");
        Field(s => s.LastWebhooksRepaired).Description("Webhooks the last run created again or re-enabled.");
        Field(s => s.LastError, nullable: true).Description("The store's failure in the last run (code: message); null when it went through.");
    }
}

public sealed class StoreAuditEntryType : ObjectGraphType<StoreAuditEntry>
{
    public const string TypeName = "StoreAuditEntry";

    public StoreAuditEntryType()
    {
        Name = TypeName;
        Description = "One line of the store audit log.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the line.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<IdGraphType>>("connectionId").Description("Global id of the store connection.").Resolve(c => GlobalId.Encode(StoreConnectionType.TypeName, c.Source.ConnectionId.ToString()));
        Field(e => e.Action).Description("CONNECTED, RECONNECTED, PAUSED, RESUMED, DISCONNECTED, SETTINGS_UPDATED, COUPON_CREATED, COUPON_DELETED (a coupon removed from the store: its redemption did not commit, found then or later by store-coupon-recovery, or its checkout discount ended unused), or REDEEMED_AT_POS (points spent at a till of this store).");
        Field(e => e.Actor).Description("Who did it (`admin:<subject>`, the redeeming caller, or `system`).");
        Field(e => e.Detail).Description("What changed, for people (settings before and after, the coupon code and value, ...).");
        Field<NonNullGraphType<DateTimeGraphType>>("occurredAt").Description("When (UTC).").Resolve(c => c.Source.OccurredAt.UtcDateTime);
    }
}

public sealed class StoreCredentialsArgs
{
    public string? ConsumerKey { get; set; }
    public string? ConsumerSecret { get; set; }
    public string? AccessToken { get; set; }
    public string? ClientSecret { get; set; }
    public string? ApiKey { get; set; }

    public StoreCredentials ToCredentials() => new(ConsumerKey, ConsumerSecret, AccessToken, ClientSecret, ApiKey);
}

public sealed class StoreCredentialsInputType : InputObjectGraphType<StoreCredentialsArgs>
{
    public StoreCredentialsInputType()
    {
        Name = "StoreCredentialsInput";
        Description = "The store's API credentials: WooCommerce consumerKey + consumerSecret; Shopify accessToken + clientSecret. Stored encrypted, never shown again.";
        Field<StringGraphType>("consumerKey").Description("WooCommerce consumer key (`ck_...`); a read/write key lets us register the webhook and create coupons.");
        Field<StringGraphType>("consumerSecret").Description("WooCommerce consumer secret (`cs_...`).");
        Field<StringGraphType>("accessToken").Description("Shopify Admin API access token.");
        Field<StringGraphType>("clientSecret").Description("Shopify app client secret (it signs Shopify's webhooks, app proxy calls and POS session tokens).");
        Field<StringGraphType>("apiKey").Description("Shopify app API key (client id): the audience of the app's POS session tokens; without it, POS session tokens from this shop are refused.");
    }
}

public sealed class StoreSettingsArgs
{
    public StoreAwardOn? AwardOn { get; set; }
    public decimal? PointValue { get; set; }
    public long? MinRedeemPoints { get; set; }
    public long? MaxRedeemPoints { get; set; }
    public bool? ClearMaxRedeemPoints { get; set; }
    public string? CouponPrefix { get; set; }
    public int? CouponValidityDays { get; set; }

    public StoreSettingsInput ToInput() => new(AwardOn, PointValue, MinRedeemPoints, MaxRedeemPoints, ClearMaxRedeemPoints ?? false, CouponPrefix?.Trim(), CouponValidityDays);
}

public sealed class StoreSettingsInputType : InputObjectGraphType<StoreSettingsArgs>
{
    public StoreSettingsInputType()
    {
        Name = "StoreSettingsInput";
        Description = "Store settings to set; a field left out keeps its value.";
        Field<StoreAwardOnType>("awardOn").Description("When an order awards points.");
        Field<DecimalGraphType>("pointValue").Description("Value of one point in the store's currency (above 0, at most 1000, at most 4 decimals).");
        Field<LongGraphType>("minRedeemPoints").Description("Fewest points one points discount may spend (at least 1).");
        Field<LongGraphType>("maxRedeemPoints").Description("Most points one points discount may spend (not below the minimum).");
        Field<BooleanGraphType>("clearMaxRedeemPoints").Description("True: no maximum.");
        Field<StringGraphType>("couponPrefix").Description("Prefix of points-discount codes: 1 to 20 letters or digits (stored in upper case).");
        Field<IntGraphType>("couponValidityDays").Description("Days a points discount (applyPointsAtCheckout) stays usable on the store: 1 to 90. Applies to discounts made from then on.");
    }
}

public sealed class ConnectStoreArgs
{
    public StorePlatform Platform { get; set; }
    public string Url { get; set; } = "";
    public StoreCredentialsArgs Credentials { get; set; } = new();
    public StoreSettingsArgs? Settings { get; set; }
}

public sealed class ConnectStoreInputType : InputObjectGraphType<ConnectStoreArgs>
{
    public ConnectStoreInputType()
    {
        Name = "ConnectStoreInput";
        Description = "A store to connect (or the same URL to reconnect).";
        Field<NonNullGraphType<StorePlatformType>>("platform").Description("WOOCOMMERCE or SHOPIFY.");
        Field<NonNullGraphType<StringGraphType>>("url").Description("The store's https URL (WooCommerce: the site's home URL; Shopify: https://{shop}.myshopify.com).");
        Field<NonNullGraphType<StoreCredentialsInputType>>("credentials").Description("The API credentials, verified against the store before anything is stored.");
        Field<StoreSettingsInputType>("settings").Description("Settings; left out: the defaults (or, on reconnect, the connection's current ones).");
    }
}

public sealed class StoreConnectionIdArgs
{
    public string Id { get; set; } = "";
}

public sealed class StoreConnectionIdInputType : InputObjectGraphType<StoreConnectionIdArgs>
{
    public StoreConnectionIdInputType()
    {
        Name = "StoreConnectionIdInput";
        Description = "Names one store connection.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the connection.");
    }
}

public sealed class UpdateStoreSettingsArgs
{
    public string Id { get; set; } = "";
    public StoreSettingsArgs Settings { get; set; } = new();
}

public sealed class UpdateStoreSettingsInputType : InputObjectGraphType<UpdateStoreSettingsArgs>
{
    public UpdateStoreSettingsInputType()
    {
        Name = "UpdateStoreSettingsInput";
        Description = "New settings for a store connection.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the connection.");
        Field<NonNullGraphType<StoreSettingsInputType>>("settings").Description("The settings to change.");
    }
}

public sealed record ConnectStorePayload(StoreConnection? Connection, bool Reconnected, string? WebhookSecret, IReadOnlyList<UserError> UserErrors);

public sealed class ConnectStorePayloadType : ObjectGraphType<ConnectStorePayload>
{
    public ConnectStorePayloadType()
    {
        Name = "ConnectStorePayload";
        Description = "Result of connectStore.";
        Field<StoreConnectionType>("connection").Description("The connection (ACTIVE, or MANUAL_SETUP when the key could not register webhooks); null when refused.").Resolve(c => c.Source.Connection);
        Field<NonNullGraphType<BooleanGraphType>>("reconnected").Description("True when the program already had a connection for this URL and it was resumed.").Resolve(c => c.Source.Reconnected);
        Field<StringGraphType>("webhookSecret").Description("WooCommerce in manual setup only: the secret to enter on the webhook. Shown only here.").Resolve(c => c.Source.WebhookSecret);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record StoreConnectionPayload(StoreConnection? Connection, IReadOnlyList<UserError> UserErrors);

public sealed class StoreConnectionPayloadType : ObjectGraphType<StoreConnectionPayload>
{
    public StoreConnectionPayloadType()
    {
        Name = "StoreConnectionPayload";
        Description = "Result of pauseStore, resumeStore and updateStoreSettings.";
        Field<StoreConnectionType>("connection").Description("The connection as it is now; null when refused.").Resolve(c => c.Source.Connection);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record DisconnectStorePayload(StoreConnection? Connection, bool? WebhooksDeleted, IReadOnlyList<UserError> UserErrors);

public sealed class DisconnectStorePayloadType : ObjectGraphType<DisconnectStorePayload>
{
    public DisconnectStorePayloadType()
    {
        Name = "DisconnectStorePayload";
        Description = "Result of disconnectStore.";
        Field<StoreConnectionType>("connection").Description("The disconnected connection; null when refused.").Resolve(c => c.Source.Connection);
        Field<BooleanGraphType>("webhooksDeleted").Description("True when the store confirmed deleting our webhooks (false: it could not be reached; they fail from now on, as the keys are gone); null when refused.").Resolve(c => c.Source.WebhooksDeleted);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}
