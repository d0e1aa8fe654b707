using System.Globalization;
using System.Text.Json;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Rewards;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>The outcome of processing one delivery: its receipt's status and reason.</summary>
public sealed record StoreDeliveryOutcome(StoreDeliveryStatus Status, string Reason)
{
    public static StoreDeliveryOutcome Processed(string reason) => new(StoreDeliveryStatus.Processed, reason);
    public static StoreDeliveryOutcome Ignored(string reason) => new(StoreDeliveryStatus.Ignored, reason);
    public static StoreDeliveryOutcome Skipped(string reason) => new(StoreDeliveryStatus.Skipped, reason);
}

/// <summary>
/// Turns a store delivery into engine operations, in the delivery's program scope. Every step is idempotent on its
/// own, so a delivery processed twice (a lease that ran out mid-way, a back-filled order that a webhook also sent)
/// changes nothing the second time: purchases per (channel, store, order id) through
/// <see cref="PurchaseOperations.RecordAsync"/>, refunds per refund id through <see cref="PurchaseOperations.ReverseAsync"/>,
/// coupons per order through <see cref="RewardOperations.MarkUsedAsync"/>, members per email (the unique index), and
/// catalog rows per (connection, kind, id).
/// <para>Purchases use <see cref="PurchaseChannel.Online"/>, <c>StoreId = connection.StoreKey</c> and the store's
/// order id as the order reference; members created here carry the store's customer id as an external id.</para>
/// </summary>
public static class StoreDeliveryHandler
{
    public const string Actor = "store";

    public static async Task<StoreDeliveryOutcome> HandleAsync(
        LoyaltyDbContext db, TimeProvider clock, StoreConnection connection, string topic, string body, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var ctx = new Context(db, clock, connection, ct);
        return connection.Platform switch
        {
            StorePlatform.WooCommerce when topic.StartsWith("order.", StringComparison.Ordinal) => await WooCommerceOrderAsync(ctx, root),
            StorePlatform.WooCommerce => StoreDeliveryOutcome.Ignored($"Topic {topic} is not acted on (orders only)."),
            _ => topic switch
            {
                "orders/paid" or "orders/fulfilled" => await ShopifyOrderAsync(ctx, root, topic),
                "orders/updated" => await ShopifyOrderUpdatedAsync(ctx, root),
                "orders/create" => await ShopifyNotAwardedAsync(ctx, root, $"Topic {topic}: orders are awarded once paid (or fulfilled when awarding on completion)."),
                "refunds/create" => await ShopifyRefundAsync(ctx, root),
                "customers/create" or "customers/update" => await ShopifyCustomerAsync(ctx, root),
                "products/update" or "products/create" => await ShopifyProductAsync(ctx, root),
                "locations/create" or "locations/update" => await ShopifyLocationAsync(ctx, root),
                _ => StoreDeliveryOutcome.Ignored($"Topic {topic} is not acted on."),
            },
        };
    }

    private sealed record Context(LoyaltyDbContext Db, TimeProvider Clock, StoreConnection Connection, CancellationToken Ct)
    {
        public string StoreKey => Connection.StoreKey;
    }

    // ---------------- WooCommerce ----------------

    private static async Task<StoreDeliveryOutcome> WooCommerceOrderAsync(Context c, JsonElement order)
    {
        var id = StoreJson.Id(order, "id") ?? throw new InvalidInputException("id", "The order has no id.");
        var status = StoreJson.String(order, "status");
        if (status is null)
            return StoreDeliveryOutcome.Ignored($"Order {id} was deleted on the store (the body carries only its id); its points stay.");

        var awards = status == "completed" || (status == "processing" && c.Connection.AwardOn == StoreAwardOn.ProcessingOrCompleted);
        var notes = new List<string>();
        if (awards)
        {
            var billing = StoreJson.Object(order, "billing");
            var email = billing is { } b ? StoreJson.String(b, "email") : null;
            if (email is null)
                return StoreDeliveryOutcome.Skipped($"Order {id} ({status}) is a guest order without a billing email: nothing to award.");
            var customerId = StoreJson.Id(order, "customer_id");
            var (memberId, created) = await MemberForAsync(c, email, billing is { } bb ? StoreJson.String(bb, "first_name") : null,
                billing is { } bl ? StoreJson.String(bl, "last_name") : null, billing is { } bp ? StoreJson.String(bp, "phone") : null, customerId);
            if (created)
                notes.Add("member enrolled from the billing details");
            var total = StoreJson.Money(order, "total") ?? throw new InvalidInputException("total", $"Order {id} has no total.");
            var lines = StoreJson.Array(order, "line_items").Select(l => new PurchaseLineInput(
                StoreJson.Id(l, "product_id"), StoreJson.Id(l, "variation_id"), StoreJson.String(l, "sku"), StoreJson.String(l, "name"),
                (int)(StoreJson.Long(l, "quantity") ?? 1), StoreJson.Money(l, "price") ?? 0m)).Where(l => l.Quantity > 0 && l.UnitPrice >= 0).ToList();
            // The subtotal (what a program earning on the subtotal earns on): the total without its tax and shipping.
            var subtotal = StoreJson.Money(order, "total_tax") is { } tax && StoreJson.Money(order, "shipping_total") is { } shipping
                ? Math.Max(0m, total - tax - shipping) : (decimal?)null;
            var recorded = await PurchaseOperations.RecordAsync(c.Db, c.Clock, Actor, new RecordPurchaseInput(
                memberId, PurchaseChannel.Online, c.StoreKey, null, id, total, subtotal, StoreJson.String(order, "currency") ?? "",
                Past(c, StoreJson.Date(order, "date_paid_gmt") ?? StoreJson.Date(order, "date_created_gmt")),
                status == "completed" ? PurchaseStatus.Completed : PurchaseStatus.Pending, lines.Count > 0 ? lines : null), c.Ct);
            notes.Add(recorded.Replayed ? $"order {id} already recorded ({status})" : $"order {id} recorded as a purchase ({status}): {recorded.Purchase.PointsEarned} points, welcome bonus {recorded.Purchase.WelcomeBonus}");
        }

        // Our coupons are used whatever the award setting: an order that carries one used it (pending, on-hold, processing,
        // completed, refunded), so the checkout-discount expiry must not give its points back. Not on a cancelled or failed
        // order (WooCommerce gives the coupon's use back on cancellation; a failed payment never used it) nor a checkout draft.
        var couponsMarked = 0;
        var codes = StoreJson.Array(order, "coupon_lines").Select(l => StoreJson.String(l, "code")).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (status is not ("cancelled" or "failed" or "checkout-draft" or "trash"))
        {
            var (couponNotes, marked) = await MarkCouponsUsedAsync(c, id, codes);
            notes.AddRange(couponNotes);
            couponsMarked = marked;
        }
        else if (status is "cancelled" or "failed")
        {
            // WooCommerce gives a cancelled order's coupon use back: ours becomes unused again (the checkout-discount
            // expiry then returns its points unless another order uses it).
            foreach (var code in codes)
                if (await RewardOperations.ReleaseUseAsync(c.Db, c.Clock, code, id, c.Ct))
                {
                    notes.Add($"coupon {code.ToUpperInvariant()} no longer used (order {status})");
                    couponsMarked++;
                }
        }

        // Refunds ride on order.updated: the refunds array (negative totals) and the refunded status.
        var refunds = StoreJson.Array(order, "refunds")
            .Select(r => (Id: StoreJson.Id(r, "id"), Amount: -(StoreJson.Money(r, "total") ?? 0m), Reason: StoreJson.String(r, "reason")))
            .Where(r => r.Id is not null && r.Amount != 0).ToList();
        if (refunds.Count > 0 || status == "refunded")
        {
            var purchase = await FindPurchaseAsync(c, id);
            if (purchase is null && !awards)
                return Outcome(couponsMarked, string.Join("; ", [$"Order {id}: status '{status}', no purchase was recorded for it (nothing was awarded, nothing to take back)", .. notes]));
            if (purchase is null)
                notes.Add($"refunds of order {id} ignored: no purchase recorded");
            else
            {
                foreach (var (refundId, amount, reason) in refunds)
                    notes.Add(await RefundAsync(c, id, $"woocommerce-refund:{refundId}", Math.Abs(amount), reason));
                if (status == "refunded")
                    notes.Add(await RefundAsync(c, id, "woocommerce-status-refunded", null, "Order refunded on the store"));
            }
        }

        if (!awards && notes.Count == 0)
            return StoreDeliveryOutcome.Ignored($"Order {id}: status '{status}' does not award points (award on {AwardOnName(c.Connection.AwardOn)}).");
        if (!awards && status != "refunded" && refunds.Count == 0)
            return Outcome(couponsMarked, $"Order {id}: status '{status}' does not award points (award on {AwardOnName(c.Connection.AwardOn)}); " + string.Join("; ", notes));
        return StoreDeliveryOutcome.Processed(string.Join("; ", notes));
    }

    /// <summary>A delivery that awarded nothing is PROCESSED when it marked one of our coupons used, else IGNORED.</summary>
    private static StoreDeliveryOutcome Outcome(int couponsMarked, string reason) =>
        couponsMarked > 0 ? StoreDeliveryOutcome.Processed(reason) : StoreDeliveryOutcome.Ignored(reason);

    private static string AwardOnName(StoreAwardOn awardOn) => awardOn == StoreAwardOn.CompletedOnly ? "completed only" : "processing or completed";

    // ---------------- Shopify ----------------

    private static async Task<StoreDeliveryOutcome> ShopifyOrderAsync(Context c, JsonElement order, string topic)
    {
        var id = StoreJson.Id(order, "id") ?? throw new InvalidInputException("id", "The order has no id.");
        var completedOnly = c.Connection.AwardOn == StoreAwardOn.CompletedOnly;
        if (topic == "orders/paid" && completedOnly)
            return await ShopifyNotAwardedAsync(c, order, $"Order {id} paid: awarded when fulfilled (award on completed only).");
        var customer = StoreJson.Object(order, "customer");
        var billing = StoreJson.Object(order, "billing_address");
        var email = StoreJson.String(order, "email") ?? StoreJson.String(order, "contact_email") ?? (customer is { } cu ? StoreJson.String(cu, "email") : null);
        if (email is null)
            return StoreDeliveryOutcome.Skipped($"Order {id} ({topic}) has no customer email: nothing to award.");
        string? Name(string field) => (customer is { } x ? StoreJson.String(x, field) : null) ?? (billing is { } y ? StoreJson.String(y, field) : null);
        var (memberId, created) = await MemberForAsync(c, email, Name("first_name"), Name("last_name"), Name("phone"),
            customer is { } cust ? StoreJson.Id(cust, "id") : null);
        var total = StoreJson.Money(order, "total_price") ?? throw new InvalidInputException("total_price", $"Order {id} has no total_price.");
        var lines = StoreJson.Array(order, "line_items").Select(l => new PurchaseLineInput(
            StoreJson.Id(l, "product_id"), StoreJson.Id(l, "variant_id"), StoreJson.String(l, "sku"), StoreJson.String(l, "title"),
            (int)(StoreJson.Long(l, "quantity") ?? 1), StoreJson.Money(l, "price") ?? 0m)).Where(l => l.Quantity > 0 && l.UnitPrice >= 0).ToList();
        var recorded = await PurchaseOperations.RecordAsync(c.Db, c.Clock, Actor, new RecordPurchaseInput(
            memberId, PurchaseChannel.Online, c.StoreKey, StoreJson.Id(order, "location_id"), id, total,
            // subtotal_price: after discounts, before shipping, duties and taxes.
            StoreJson.Money(order, "subtotal_price") is { } sub ? Math.Max(0m, sub) : null, StoreJson.String(order, "currency") ?? "",
            Past(c, StoreJson.Date(order, "processed_at") ?? StoreJson.Date(order, "created_at")),
            topic == "orders/fulfilled" ? PurchaseStatus.Completed : PurchaseStatus.Pending, lines.Count > 0 ? lines : null), c.Ct);
        var notes = new List<string>();
        if (created)
            notes.Add("member enrolled from the customer details");
        notes.Add(recorded.Replayed ? $"order {id} already recorded" : $"order {id} recorded as a purchase ({topic}): {recorded.Purchase.PointsEarned} points, welcome bonus {recorded.Purchase.WelcomeBonus}");
        notes.AddRange((await MarkCouponsUsedAsync(c, id, ShopifyCodes(order))).Notes);
        // The body's refunds, as the WooCommerce path reads its refunds[]: one made before the purchase was recorded (its
        // refunds/create found no purchase) or before fulfilment (awarding on completion) is taken back now, once per
        // refund id whichever of the two paths comes first.
        foreach (var refund in StoreJson.Array(order, "refunds"))
        {
            var refundId = StoreJson.Id(refund, "id");
            var amount = ShopifyRefundAmount(refund);
            if (refundId is null || amount == 0)
                continue;
            notes.Add(await RefundAsync(c, id, $"shopify-refund:{refundId}", amount, StoreJson.String(refund, "note")));
        }
        return StoreDeliveryOutcome.Processed(string.Join("; ", notes));
    }

    private static IEnumerable<string?> ShopifyCodes(JsonElement order) => StoreJson.Array(order, "discount_codes").Select(d => StoreJson.String(d, "code"));

    /// <summary>
    /// An order delivery that does not award (orders/create, paid while awarding on fulfilment, an unfulfilled update)
    /// still marks our codes on it used: the order used them, whatever the award setting. Not a cancelled order
    /// (<c>cancelled_at</c> set): it used nothing; the checkout-discount expiry asks the store anyway.
    /// </summary>
    private static async Task<StoreDeliveryOutcome> ShopifyNotAwardedAsync(Context c, JsonElement order, string reason)
    {
        var id = StoreJson.Id(order, "id");
        if (id is null || StoreJson.String(order, "cancelled_at") is not null)
            return StoreDeliveryOutcome.Ignored(reason);
        var (notes, marked) = await MarkCouponsUsedAsync(c, id, ShopifyCodes(order));
        return Outcome(marked, string.Join("; ", [reason.TrimEnd('.'), .. notes]) + (notes.Count == 0 ? "." : ""));
    }

    /// <summary>
    /// orders/updated (what a connection registers besides orders/paid): a paid and fulfilled order is completed (as
    /// orders/fulfilled), a paid one awarded like orders/paid; anything else is ignored with its statuses named.
    /// </summary>
    private static async Task<StoreDeliveryOutcome> ShopifyOrderUpdatedAsync(Context c, JsonElement order)
    {
        var financial = StoreJson.String(order, "financial_status");
        var fulfillment = StoreJson.String(order, "fulfillment_status");
        var paid = financial is "paid" or "partially_refunded" or "refunded";
        if (paid && fulfillment == "fulfilled")
            return await ShopifyOrderAsync(c, order, "orders/fulfilled");
        if (financial == "paid" && c.Connection.AwardOn == StoreAwardOn.ProcessingOrCompleted)
            return await ShopifyOrderAsync(c, order, "orders/paid");
        return await ShopifyNotAwardedAsync(c, order,
            $"Order {StoreJson.Id(order, "id")} updated: financial status '{financial ?? "none"}', fulfillment status '{fulfillment ?? "none"}' does not award points (award on {AwardOnName(c.Connection.AwardOn)}).");
    }

    private static async Task<StoreDeliveryOutcome> ShopifyRefundAsync(Context c, JsonElement refund)
    {
        var orderId = StoreJson.Id(refund, "order_id") ?? throw new InvalidInputException("order_id", "The refund names no order.");
        var refundId = StoreJson.Id(refund, "id") ?? throw new InvalidInputException("id", "The refund has no id.");
        var amount = ShopifyRefundAmount(refund);
        if (amount == 0)
            return StoreDeliveryOutcome.Ignored($"Refund {refundId} of order {orderId} refunds no money (a restock only).");
        if (await FindPurchaseAsync(c, orderId) is null)
            return StoreDeliveryOutcome.Ignored($"Refund {refundId}: no purchase was recorded for order {orderId}.");
        return StoreDeliveryOutcome.Processed(await RefundAsync(c, orderId, $"shopify-refund:{refundId}", amount, StoreJson.String(refund, "note")));
    }

    /// <summary>The money a Shopify refund gave back: its successful refund transactions; without transactions, the refunded lines (subtotal + tax).</summary>
    private static decimal ShopifyRefundAmount(JsonElement refund)
    {
        var transactions = StoreJson.Array(refund, "transactions")
            .Where(t => StoreJson.String(t, "kind") == "refund" && StoreJson.String(t, "status") is null or "success").ToList();
        var amount = transactions.Count > 0
            ? transactions.Sum(t => StoreJson.Money(t, "amount") ?? 0m)
            : StoreJson.Array(refund, "refund_line_items").Sum(l => (StoreJson.Money(l, "subtotal") ?? 0m) + (StoreJson.Money(l, "total_tax") ?? 0m));
        return Math.Abs(amount);
    }

    private static async Task<StoreDeliveryOutcome> ShopifyCustomerAsync(Context c, JsonElement customer)
    {
        var id = StoreJson.Id(customer, "id") ?? throw new InvalidInputException("id", "The customer has no id.");
        var email = StoreJson.String(customer, "email");
        var first = Clip(StoreJson.String(customer, "first_name"), MemberRules.MaxNameLength);
        var last = Clip(StoreJson.String(customer, "last_name"), MemberRules.MaxNameLength);
        var phone = ValidPhone(StoreJson.String(customer, "phone"));
        var byExternal = await c.Db.MemberExternalIds.AsNoTracking()
            .Where(x => x.Store == c.StoreKey && x.ExternalId == id).Select(x => (Guid?)x.MemberId).FirstOrDefaultAsync(c.Ct);
        if (byExternal is null && email is null)
            return StoreDeliveryOutcome.Skipped($"Customer {id} has no email: no member to match or create.");
        if (byExternal is null)
        {
            var (memberId, created) = await MemberForAsync(c, email!, first, last, phone, id);
            if (created)
                return StoreDeliveryOutcome.Processed($"customer {id} enrolled as a member");
            byExternal = memberId;
        }
        await MemberOperations.UpdateAsync(c.Db, c.Clock, Actor, new UpdateMemberInput(byExternal.Value, Email: ValidEmail(email),
            FirstName: first ?? "", LastName: last ?? "", Phone: phone ?? ""), null, c.Ct);
        await EnsureExternalIdAsync(c, byExternal.Value, id);
        return StoreDeliveryOutcome.Processed($"customer {id}: member profile updated");
    }

    private static async Task<StoreDeliveryOutcome> ShopifyProductAsync(Context c, JsonElement product)
    {
        var id = StoreJson.Id(product, "id") ?? throw new InvalidInputException("id", "The product has no id.");
        var title = Clip(StoreJson.String(product, "title"), 500) ?? $"Product {id}";
        var variants = StoreJson.Array(product, "variants").ToList();
        var rows = variants.Count == 0
            ? [(ExternalId: id, VariantTitle: (string?)null, Sku: (string?)null, Price: (decimal?)null)]
            : variants.Select(v => (ExternalId: StoreJson.Id(v, "id") ?? id, VariantTitle: Clip(StoreJson.String(v, "title"), 500),
                Sku: Clip(StoreJson.String(v, "sku"), 200), Price: StoreJson.Money(v, "price"))).ToList();
        await WriteTransaction.RunAsync(c.Db, async token =>
        {
            var now = c.Clock.GetUtcNow();
            var ids = rows.Select(r => r.ExternalId).ToList();
            var existing = await c.Db.StoreCatalogItems
                .Where(x => x.ConnectionId == c.Connection.Id && x.Kind == StoreCatalogKind.Variant && (x.ProductId == id || ids.Contains(x.ExternalId)))
                .ToListAsync(token);
            foreach (var r in rows)
            {
                var row = existing.FirstOrDefault(x => x.ExternalId == r.ExternalId);
                if (row is null)
                {
                    row = new StoreCatalogItem { Id = Guid.CreateVersion7(now), ConnectionId = c.Connection.Id, Kind = StoreCatalogKind.Variant, ExternalId = r.ExternalId, Title = title, UpdatedAt = now };
                    c.Db.StoreCatalogItems.Add(row);
                }
                (row.ProductId, row.Title, row.VariantTitle, row.Sku, row.Price, row.UpdatedAt) = (id, title, r.VariantTitle, r.Sku, r.Price, now);
            }
            // Variants the product no longer has.
            c.Db.StoreCatalogItems.RemoveRange(existing.Where(x => x.ProductId == id && !ids.Contains(x.ExternalId)));
            return 0;
        }, c.Ct);
        return StoreDeliveryOutcome.Processed($"product {id} synced ({rows.Count} variant{(rows.Count == 1 ? "" : "s")})");
    }

    private static async Task<StoreDeliveryOutcome> ShopifyLocationAsync(Context c, JsonElement location)
    {
        var id = StoreJson.Id(location, "id") ?? throw new InvalidInputException("id", "The location has no id.");
        var name = Clip(StoreJson.String(location, "name"), 500) ?? $"Location {id}";
        await WriteTransaction.RunAsync(c.Db, async token =>
        {
            var now = c.Clock.GetUtcNow();
            var row = await c.Db.StoreCatalogItems.FirstOrDefaultAsync(x => x.ConnectionId == c.Connection.Id && x.Kind == StoreCatalogKind.Location && x.ExternalId == id, token);
            if (row is null)
                c.Db.StoreCatalogItems.Add(new StoreCatalogItem { Id = Guid.CreateVersion7(now), ConnectionId = c.Connection.Id, Kind = StoreCatalogKind.Location, ExternalId = id, Title = name, UpdatedAt = now });
            else
                (row.Title, row.UpdatedAt) = (name, now);
            return 0;
        }, c.Ct);
        return StoreDeliveryOutcome.Processed($"location {id} synced ({name})");
    }

    // ---------------- shared steps ----------------

    /// <summary>
    /// The member with this email (case-insensitive), or a new one from the store's details (member.enrolled, with the
    /// store customer id as an external id when it is free). A concurrent enrollment of the same email wins: we match it.
    /// </summary>
    private static async Task<(Guid MemberId, bool Created)> MemberForAsync(Context c, string email, string? first, string? last, string? phone, string? customerId)
    {
        var (address, normalized) = MemberRules.Email(email);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await c.Db.Members.AsNoTracking().Where(m => m.NormalizedEmail == normalized).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(c.Ct);
            if (existing is { } id)
            {
                if (customerId is not null)
                    await EnsureExternalIdAsync(c, id, customerId);
                return (id, false);
            }
            var externalIds = customerId is not null
                && !await c.Db.MemberExternalIds.AnyAsync(x => x.Store == c.StoreKey && x.ExternalId == customerId, c.Ct)
                ? new[] { new ExternalIdInput(c.StoreKey, customerId) } : null;
            try
            {
                var enrolled = await MemberOperations.EnrollAsync(c.Db, c.Clock, Actor, new EnrollMemberInput(
                    address, Clip(first, MemberRules.MaxNameLength), Clip(last, MemberRules.MaxNameLength), ValidPhone(phone), ExternalIds: externalIds), null, c.Ct);
                return (enrolled.Member.Id, true);
            }
            catch (LoyaltyException e) when (e.Code is ErrorCodes.EmailTaken or ErrorCodes.ExternalIdTaken && attempt < 3)
            {
                // A concurrent delivery enrolled them first: match that member.
            }
        }
    }

    private static async Task EnsureExternalIdAsync(Context c, Guid memberId, string customerId)
    {
        if (await c.Db.MemberExternalIds.AnyAsync(x => x.Store == c.StoreKey && (x.ExternalId == customerId || x.MemberId == memberId), c.Ct))
            return;
        try
        {
            await WriteTransaction.RunAsync(c.Db, async token =>
            {
                if (!await c.Db.MemberExternalIds.AnyAsync(x => x.Store == c.StoreKey && (x.ExternalId == customerId || x.MemberId == memberId), token))
                    c.Db.MemberExternalIds.Add(new MemberExternalId { Id = Guid.CreateVersion7(c.Clock.GetUtcNow()), MemberId = memberId, Store = c.StoreKey, ExternalId = customerId });
                return 0;
            }, c.Ct);
        }
        catch (ConcurrencyConflictException)
        {
            // Someone else linked it: fine.
        }
    }

    private static Task<Purchase?> FindPurchaseAsync(Context c, string orderId) =>
        c.Db.Purchases.AsNoTracking().FirstOrDefaultAsync(p => p.Channel == PurchaseChannel.Online && p.StoreId == c.StoreKey && p.OrderReference == orderId, c.Ct);

    /// <summary>A refund through the engine, idempotent per refund reference; capped at what is left of the purchase.</summary>
    private static async Task<string> RefundAsync(Context c, string orderId, string reference, decimal? amount, string? reason)
    {
        var purchase = await FindPurchaseAsync(c, orderId);
        if (purchase is null)
            return $"refund {reference}: no purchase for order {orderId}";
        // Applied before (an order body carries every refund so far): not again, and not capped to what is left now,
        // which would be the same refund reference with another amount.
        var key = PurchaseOperations.RefundKey(PurchaseChannel.Online, c.StoreKey, orderId, reference);
        if (await c.Db.IdempotencyRecords.AsNoTracking().AnyAsync(r => r.Operation == PurchaseOperations.ReverseOperation && r.Key == key, c.Ct))
            return $"refund {reference} of order {orderId} already applied";
        var left = purchase.Amount - purchase.RefundedAmount;
        if (amount is { } a && a > left)
        {
            if (left <= 0)
                return $"refund {reference} of order {orderId}: nothing left to refund";
            amount = left;
        }
        var reversed = await PurchaseOperations.ReverseAsync(c.Db, c.Clock, Actor, new ReversePurchaseInput(
            PurchaseChannel.Online, c.StoreKey, orderId, amount, reference, Clip(reason, 200)), c.Ct);
        return $"refund {reference} of order {orderId} ({(amount is { } x ? x.ToString(CultureInfo.InvariantCulture) : "the rest")}): {reversed.PointsTakenBack} points taken back";
    }

    /// <summary>Our coupons among the order's codes are marked used (coupon.used); other codes are the store's own. Returns the notes and how many were marked now or before on this order.</summary>
    private static async Task<(List<string> Notes, int Marked)> MarkCouponsUsedAsync(Context c, string orderId, IEnumerable<string?> codes)
    {
        var notes = new List<string>();
        var marked = 0;
        foreach (var code in codes.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                await RewardOperations.MarkUsedAsync(c.Db, c.Clock, code, orderId, c.Ct);
                notes.Add($"coupon {code.ToUpperInvariant()} used");
                marked++;
            }
            catch (LoyaltyException e) when (e.Code == ErrorCodes.CouponNotFound)
            {
                // Not one of ours.
            }
            catch (LoyaltyException e) when (e.Code is ErrorCodes.CouponAlreadyUsed or ErrorCodes.CouponNotUsable)
            {
                notes.Add($"coupon {code.ToUpperInvariant()} not marked: {e.Message}");
            }
        }
        return (notes, marked);
    }

    /// <summary>A store date in the future (clock skew) would be refused by the engine: cap it at now.</summary>
    private static DateTimeOffset? Past(Context c, DateTimeOffset? at) => at is { } d && d > c.Clock.GetUtcNow() ? c.Clock.GetUtcNow() : at;

    private static string? Clip(string? s, int max) => s is null ? null : s.Trim() is { Length: > 0 } t ? (t.Length <= max ? t : t[..max]) : null;

    private static string? ValidPhone(string? phone)
    {
        try
        {
            return MemberRules.Phone(phone);
        }
        catch (InvalidInputException)
        {
            return null; // a store's free-form phone does not block the member
        }
    }

    private static string? ValidEmail(string? email)
    {
        try
        {
            return email is null ? null : MemberRules.Email(email).Email;
        }
        catch (InvalidInputException)
        {
            return null;
        }
    }
}
