using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.GraphQL.Connections;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>
/// Monitoring of a store connection's webhook ingest, admin-only: the delivery receipts, the 24-hour overview and the
/// synced catalog. Root fields taking the connection's global id (<c>StoreConnection</c>); <see cref="AddTo"/> adds the
/// same as fields of a <c>StoreConnection</c> object type.
/// </summary>
public static class StoreDeliveryFields
{
    public const string ConnectionTypeName = "StoreConnection";
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<ConnectionGraphType<StoreDeliveryType, StoreDelivery>>("storeDeliveries")
            .Description($"A store connection's webhook deliveries (receipts), newest first; null when the program has no such connection (`first` defaults to {DefaultPageSize}, at most {MaxPageSize}) (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<IdGraphType>>("connectionId", "Global id of the store connection.")
            .Argument<StoreDeliveryStatusType>("status", "Only deliveries with this outcome.")
            .Argument<IntGraphType>("first", "Deliveries after `after`.")
            .Argument<StringGraphType>("after", "Cursor to start after.")
            .Argument<IntGraphType>("last", "Deliveries before `before`.")
            .Argument<StringGraphType>("before", "Cursor to end before.")
            .ResolveAsync(async c => await ResolveContextExtensions.QueryAsync(async () =>
            {
                var deliveries = await StoreDeliveryMonitoring.DeliveriesAsync(c.Db(), ConnectionId(c), c.GetArgument<StoreDeliveryStatus?>("status"), c.CancellationToken);
                return deliveries is null ? null : await c.PageAsync(deliveries, d => d, DefaultPageSize, MaxPageSize);
            }));

        query.Field<StoreDeliveryStatsType>("storeDeliveryStats")
            .Description("A store connection's delivery overview: last delivery, 24-hour counts per outcome, the latest failure with a hint; null when the program has no such connection (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<IdGraphType>>("connectionId", "Global id of the store connection.")
            .ResolveAsync(async c => await StoreDeliveryMonitoring.StatsAsync(c.Db(), c.Clock(), ConnectionId(c), c.CancellationToken));

        query.Field<ConnectionGraphType<StoreCatalogItemType, StoreCatalogItem>>("storeCatalog")
            .Description($"A store connection's synced catalog (product variants and locations from Shopify's products and locations webhooks); null when the program has no such connection (`first` defaults to {DefaultPageSize}, at most {MaxPageSize}) (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<IdGraphType>>("connectionId", "Global id of the store connection.")
            .Argument<StoreCatalogKindType>("kind", "Only variants or only locations.")
            .Argument<IntGraphType>("first", "Items after `after`.")
            .Argument<StringGraphType>("after", "Cursor to start after.")
            .Argument<IntGraphType>("last", "Items before `before`.")
            .Argument<StringGraphType>("before", "Cursor to end before.")
            .ResolveAsync(async c => await ResolveContextExtensions.QueryAsync(async () =>
            {
                var items = await StoreDeliveryMonitoring.CatalogAsync(c.Db(), ConnectionId(c), c.GetArgument<StoreCatalogKind?>("kind"), c.CancellationToken);
                return items is null ? null : await c.PageAsync(items, x => x, DefaultPageSize, MaxPageSize);
            }));
    }

    /// <summary>
    /// Adds <c>deliveryStats</c> and <c>deliveries</c> to a StoreConnection object type whose source exposes the
    /// connection id through <paramref name="idOf"/> (for the connection type, so the overview reads as one object).
    /// </summary>
    public static void AddTo<TSource>(ObjectGraphType<TSource> type, Func<TSource, Guid> idOf)
    {
        type.Field<NonNullGraphType<StoreDeliveryStatsType>>("deliveryStats")
            .Description("The webhook delivery overview: last delivery, 24-hour counts per outcome, the latest failure with a hint.")
            .ResolveAsync(async c => await StoreDeliveryMonitoring.StatsAsync(c.Db(), c.Clock(), idOf(c.Source), c.CancellationToken));
        type.Field<NonNullGraphType<ConnectionGraphType<StoreDeliveryType, StoreDelivery>>>("deliveries")
            .Description($"The webhook deliveries (receipts), newest first (`first` defaults to {DefaultPageSize}, at most {MaxPageSize}).")
            .Argument<StoreDeliveryStatusType>("status", "Only deliveries with this outcome.")
            .Argument<IntGraphType>("first", "Deliveries after `after`.")
            .Argument<StringGraphType>("after", "Cursor to start after.")
            .Argument<IntGraphType>("last", "Deliveries before `before`.")
            .Argument<StringGraphType>("before", "Cursor to end before.")
            .ResolveAsync(async c =>
            {
                var deliveries = await StoreDeliveryMonitoring.DeliveriesAsync(c.Db(), idOf(c.Source), c.GetArgument<StoreDeliveryStatus?>("status"), c.CancellationToken);
                return await c.PageAsync(deliveries!, d => d, DefaultPageSize, MaxPageSize);
            });
    }

    private static Guid ConnectionId(IResolveFieldContext c) =>
        ResolveContextExtensions.QueryGlobalId(c.GetArgument<string>("connectionId"), ConnectionTypeName);
}

public sealed class StoreDeliveryStatusType : EnumerationGraphType
{
    public StoreDeliveryStatusType()
    {
        Name = "StoreDeliveryStatus";
        Description = "The outcome of a store webhook delivery.";
        Add("PENDING", StoreDeliveryStatus.Pending, "Accepted and persisted (the store got its 2xx); not processed yet.");
        Add("PROCESSED", StoreDeliveryStatus.Processed, "It changed the program: a purchase, a refund, a coupon used, a member, the catalog.");
        Add("IGNORED", StoreDeliveryStatus.Ignored, "Nothing to do by design: a status that does not award (named in the reason), a duplicate, a topic not acted on.");
        Add("SKIPPED", StoreDeliveryStatus.Skipped, "Not processed on purpose: a paused connection, a guest order without an email.");
        Add("FAILED", StoreDeliveryStatus.Failed, "Refused (bad signature: the secrets differ) or not processable (the reason names the engine's error code).");
    }
}

public sealed class StoreCatalogKindType : EnumerationGraphType
{
    public StoreCatalogKindType()
    {
        Name = "StoreCatalogKind";
        Description = "What a synced catalog row is.";
        Add("VARIANT", StoreCatalogKind.Variant, "A product variant (a product without variants is one row).");
        Add("LOCATION", StoreCatalogKind.Location, "A store location (shop, warehouse, POS).");
    }
}

public sealed class StoreDeliveryType : ObjectGraphType<StoreDelivery>
{
    public const string TypeName = "StoreDelivery";

    public StoreDeliveryType()
    {
        Name = TypeName;
        Description = "One webhook delivery from a connected store (or one order back-filled by the reconciliation), with its receipt. Never the customer's email: only its hash.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the delivery.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<IdGraphType>>("connectionId").Description("Global id of the store connection.").Resolve(c => GlobalId.Encode(StoreDeliveryFields.ConnectionTypeName, c.Source.ConnectionId.ToString()));
        Field(d => d.Topic).Description("The store's topic: WooCommerce `order.updated`, Shopify `orders/paid`, `refunds/create`, `customers/update`...");
        Field<NonNullGraphType<StoreDeliveryStatusType>>("status").Description("The outcome.").Resolve(c => c.Source.Status);
        Field(d => d.Reason, nullable: true).Description("Why: what was recorded, the status that does not award, the duplicate's key, the error. Null while pending.");
        Field(d => d.ResourceId, nullable: true).Description("The order (refund: its order; customer, product, location) id on the store; null when the body names none.");
        Field(d => d.EmailHash, nullable: true).Description("Hex SHA-256 of the trimmed, lower-cased customer email (never the address); null without one.");
        Field(d => d.DedupeKey, nullable: true).Description("The idempotency key (WooCommerce `order:{id}:{status}:{refund ids}`, Shopify `{topic}:{event id}`); null for duplicates, refusals and skipped deliveries.");
        Field(d => d.ExternalDeliveryId, nullable: true).Description("The store's delivery id (X-WC-Webhook-Delivery-ID, X-Shopify-Webhook-Id).");
        Field(d => d.EventId, nullable: true).Description("Shopify's X-Shopify-Event-Id (the same for every retry of one event).");
        Field(d => d.Source).Description("`webhook`, or `reconciliation` for an order the scheduled back-fill fetched.");
        Field<NonNullGraphType<IntGraphType>>("attempts").Description("Processing attempts so far.").Resolve(c => c.Source.Attempts);
        Field<NonNullGraphType<DateTimeGraphType>>("receivedAt").Description("When it was received and persisted (UTC).").Resolve(c => c.Source.ReceivedAt.UtcDateTime);
        Field<DateTimeGraphType>("processedAt").Description("When its outcome was decided (UTC); null while pending.").Resolve(c => c.Source.ProcessedAt?.UtcDateTime);
    }
}

public sealed class StoreDeliveryStatsType : ObjectGraphType<StoreDeliveryStats>
{
    public StoreDeliveryStatsType()
    {
        Name = "StoreDeliveryStats";
        Description = "A store connection's webhook overview over the last 24 hours.";
        Field<NonNullGraphType<IdGraphType>>("connectionId").Description("Global id of the store connection.").Resolve(c => GlobalId.Encode(StoreDeliveryFields.ConnectionTypeName, c.Source.ConnectionId.ToString()));
        Field<DateTimeGraphType>("lastDeliveryAt").Description("The last delivery received, whatever its outcome (to the second, UTC); null before the first.").Resolve(c => c.Source.LastDeliveryAt?.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("since").Description("Start of the counted window (now minus 24 hours, UTC).").Resolve(c => c.Source.Since.UtcDateTime);
        Field<NonNullGraphType<IntGraphType>>("processed").Description("Deliveries PROCESSED in the window.").Resolve(c => c.Source.Processed);
        Field<NonNullGraphType<IntGraphType>>("ignored").Description("Deliveries IGNORED in the window.").Resolve(c => c.Source.Ignored);
        Field<NonNullGraphType<IntGraphType>>("skipped").Description("Deliveries SKIPPED in the window.").Resolve(c => c.Source.Skipped);
        Field<NonNullGraphType<IntGraphType>>("failed").Description("Deliveries FAILED in the window.").Resolve(c => c.Source.Failed);
        Field<NonNullGraphType<IntGraphType>>("pending").Description("Deliveries received in the window and not processed yet.").Resolve(c => c.Source.Pending);
        Field<StoreDeliveryType>("lastFailure").Description("The most recent FAILED delivery (any time); null when none failed.").Resolve(c => c.Source.LastFailure);
        Field<StringGraphType>("lastFailureHint").Description("What to do about the last failure (a signature failure says the secrets differ); null without one.").Resolve(c => c.Source.LastFailureHint);
    }
}

public sealed class StoreCatalogItemType : ObjectGraphType<StoreCatalogItem>
{
    public const string TypeName = "StoreCatalogItem";

    public StoreCatalogItemType()
    {
        Name = TypeName;
        Description = "A product variant or a location of a connected store, as its last webhook described it.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the catalog row.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<StoreCatalogKindType>>("kind").Description("VARIANT or LOCATION.").Resolve(c => c.Source.Kind);
        Field(x => x.ExternalId).Description("The store's variant id (the product id for a product without variants) or location id.");
        Field(x => x.ProductId, nullable: true).Description("The store's product id of a variant; null for a location.");
        Field(x => x.Title).Description("The product title, or the location name.");
        Field(x => x.VariantTitle, nullable: true).Description("The variant's title (e.g. `M`).");
        Field(x => x.Sku, nullable: true).Description("The variant's SKU.");
        Field<DecimalGraphType>("price").Description("The variant's price in the store's currency.").Resolve(c => c.Source.Price);
        Field<NonNullGraphType<DateTimeGraphType>>("updatedAt").Description("When the last webhook updated it (UTC).").Resolve(c => c.Source.UpdatedAt.UtcDateTime);
    }
}
