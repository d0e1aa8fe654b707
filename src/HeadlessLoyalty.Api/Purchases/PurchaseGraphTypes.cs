using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Purchases;

public sealed class PurchaseType : ObjectGraphType<PurchaseView>
{
    public const string TypeName = "Purchase";

    public PurchaseType()
    {
        Name = TypeName;
        Description = "A purchase in a member's history, from any channel or store, with what it earned and what refunds took back.";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is PurchaseView;
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the purchase.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member who made it.").Resolve(c => GlobalId.Encode(MemberType.TypeName, c.Source.MemberId.ToString()));
        Field<NonNullGraphType<PurchaseChannelType>>("channel").Description("Where it was made.").Resolve(c => c.Source.Channel);
        Field<StringGraphType>("storeId").Description("The store's id in the program; null for a program with one store.").Resolve(c => c.Source.StoreId.Length == 0 ? null : c.Source.StoreId);
        Field(p => p.LocationId, nullable: true).Description("The shop or till location, for POS purchases.");
        Field(p => p.OrderReference).Description("The store's order reference; unique per channel and store.");
        Field<NonNullGraphType<DecimalGraphType>>("amount").Description("Order total as the store reported it (shipping and tax included).").Resolve(c => c.Source.Amount);
        Field<DecimalGraphType>("subtotal").Description("Order subtotal, when the store sent one.").Resolve(c => c.Source.Subtotal);
        Field(p => p.Currency).Description("ISO 4217 currency (the program's).");
        Field<NonNullGraphType<PurchaseStatusType>>("status").Description("Whether the purchase is complete.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<DateTimeGraphType>>("occurredAt").Description("When it was made (UTC).").Resolve(c => c.Source.OccurredAt.UtcDateTime);
        Field<DateTimeGraphType>("completedAt").Description("When it completed (UTC); null while pending.").Resolve(c => c.Source.CompletedAt?.UtcDateTime);
        Field<DateTimeGraphType>("approvalDueAt").Description("When its pending points become spendable (completion + the return window); null while pending or when approved at once.").Resolve(c => c.Source.ApprovalDueAt?.UtcDateTime);
        Field<DateTimeGraphType>("pointsApprovedAt").Description("When its points were approved; null while they are pending.").Resolve(c => c.Source.PointsApprovedAt?.UtcDateTime);
        Field<NonNullGraphType<LongGraphType>>("pointsEarned").Description("Points the purchase earned, before refunds.").Resolve(c => c.Source.PointsEarned);
        Field<NonNullGraphType<LongGraphType>>("welcomeBonus").Description("Welcome bonus it carried as the member's first purchase (0 when none).").Resolve(c => c.Source.WelcomeBonus);
        Field<NonNullGraphType<DecimalGraphType>>("refundedAmount").Description("Amount refunded so far.").Resolve(c => c.Source.RefundedAmount);
        Field<NonNullGraphType<LongGraphType>>("pointsReversed").Description("Points refunds took back so far (the welcome bonus included once the refund is full).").Resolve(c => c.Source.PointsReversed);
        Field<NonNullGraphType<DateTimeGraphType>>("recordedAt").Description("When it was recorded (UTC).").Resolve(c => c.Source.RecordedAt.UtcDateTime);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PurchaseLineType>>>>("lines").Description("The order's lines as the store sent them (empty when it sent none).").Resolve(c => c.Source.Lines);
    }
}

public sealed class PurchaseChannelType : EnumerationGraphType
{
    public PurchaseChannelType()
    {
        Name = "PurchaseChannel";
        Description = "Where a purchase was made.";
        Add("ONLINE", PurchaseChannel.Online, "An online store (checkout, webhook).");
        Add("POS", PurchaseChannel.Pos, "A point of sale in a shop.");
    }
}

public sealed class PurchaseStatusType : EnumerationGraphType
{
    public PurchaseStatusType()
    {
        Name = "PurchaseStatus";
        Description = "Whether a purchase is complete; its points stay pending until it is and its return window has passed.";
        Add("PENDING", PurchaseStatus.Pending, "Placed but not complete (e.g. unpaid or unfulfilled): points are pending.");
        Add("COMPLETED", PurchaseStatus.Completed, "Complete: the return window (the program's pending days) starts.");
    }
}

public sealed class PointsRoundingType : EnumerationGraphType
{
    public PointsRoundingType()
    {
        Name = "PointsRounding";
        Description = "How fractional points become whole points.";
        Add("DOWN", PointsRounding.Down, "Drop the fraction (10.9 -> 10).");
        Add("NEAREST", PointsRounding.Nearest, "To the nearest whole point, halves up (10.5 -> 11).");
        Add("UP", PointsRounding.Up, "Any fraction earns a whole point (10.1 -> 11).");
    }
}

public sealed class EarningBaseType : EnumerationGraphType
{
    public EarningBaseType()
    {
        Name = "EarningBase";
        Description = "Which amount of a purchase earns points.";
        Add("ORDER_TOTAL", EarningBase.OrderTotal, "The order total as the store reports it, shipping and tax included.");
        Add("SUBTOTAL", EarningBase.Subtotal, "The subtotal (the total when the store sends no subtotal).");
    }
}

public sealed class EarningRulesType : ObjectGraphType<EarningSettings>
{
    public EarningRulesType()
    {
        Name = "EarningRules";
        Description = "How the program's purchases earn points.";
        Field<NonNullGraphType<DecimalGraphType>>("pointsPerCurrencyUnit").Description("Points per unit of the program's currency (before the tier multiplier).").Resolve(c => c.Source.PointsPerCurrencyUnit);
        Field<NonNullGraphType<PointsRoundingType>>("rounding").Description("How fractional points are rounded.").Resolve(c => c.Source.Rounding);
        Field<NonNullGraphType<LongGraphType>>("minPointsPerPurchase").Description("Every purchase with an amount earns at least this (0: no minimum).").Resolve(c => c.Source.MinPointsPerPurchase);
        Field<LongGraphType>("maxPointsPerPurchase").Description("No purchase earns more than this; null: no maximum.").Resolve(c => c.Source.MaxPointsPerPurchase);
        Field<NonNullGraphType<EarningBaseType>>("base").Description("Which amount earns.").Resolve(c => c.Source.Base);
        Field<NonNullGraphType<LongGraphType>>("welcomeBonusPoints").Description("Bonus on a member's first purchase (0: none); taken back if that purchase is fully refunded.").Resolve(c => c.Source.WelcomeBonusPoints);
        Field<NonNullGraphType<IntGraphType>>("pendingDays").Description("Return window: days after completion before the points become spendable (0: at once).").Resolve(c => c.Source.PendingDays);
    }
}

public sealed class EarningRulesArgs
{
    public decimal? PointsPerCurrencyUnit { get; set; }
    public PointsRounding? Rounding { get; set; }
    public long? MinPointsPerPurchase { get; set; }
    public long? MaxPointsPerPurchase { get; set; }
    public bool ClearMaxPointsPerPurchase { get; set; }
    public EarningBase? Base { get; set; }
    public long? WelcomeBonusPoints { get; set; }
    public int? PendingDays { get; set; }

    public EarningSettings ApplyTo(EarningSettings s) => s with
    {
        PointsPerCurrencyUnit = PointsPerCurrencyUnit ?? s.PointsPerCurrencyUnit,
        Rounding = Rounding ?? s.Rounding,
        MinPointsPerPurchase = MinPointsPerPurchase ?? s.MinPointsPerPurchase,
        MaxPointsPerPurchase = ClearMaxPointsPerPurchase ? null : MaxPointsPerPurchase ?? s.MaxPointsPerPurchase,
        Base = Base ?? s.Base,
        WelcomeBonusPoints = WelcomeBonusPoints ?? s.WelcomeBonusPoints,
        PendingDays = PendingDays ?? s.PendingDays,
    };
}

public sealed class EarningRulesInputType : InputObjectGraphType<EarningRulesArgs>
{
    public EarningRulesInputType()
    {
        Name = "EarningRulesInput";
        Description = "Changes to the earning rules; a field left out keeps its value.";
        Field<DecimalGraphType>("pointsPerCurrencyUnit").Description("Points per currency unit: more than 0, at most 10,000, at most 4 decimals.");
        Field<PointsRoundingType>("rounding").Description("How fractional points are rounded.");
        Field<LongGraphType>("minPointsPerPurchase").Description("Minimum points per purchase with an amount (0 or more).");
        Field<LongGraphType>("maxPointsPerPurchase").Description("Maximum points per purchase (at least 1 and at least the minimum).");
        Field<BooleanGraphType>("clearMaxPointsPerPurchase").Description("True removes the maximum.").DefaultValue(false);
        Field<EarningBaseType>("base").Description("Which amount earns.");
        Field<LongGraphType>("welcomeBonusPoints").Description("Welcome bonus on the first purchase (0 for none).");
        Field<IntGraphType>("pendingDays").Description("Return window in days, 0 to 365.");
    }
}

public sealed class RecordPurchaseArgs
{
    public string MemberId { get; set; } = "";
    public PurchaseChannel Channel { get; set; }
    public string? StoreId { get; set; }
    public string? LocationId { get; set; }
    public string OrderReference { get; set; } = "";
    public decimal Amount { get; set; }
    public decimal? Subtotal { get; set; }
    public string Currency { get; set; } = "";
    public DateTime? OccurredAt { get; set; }
    public PurchaseStatus Status { get; set; } = PurchaseStatus.Completed;
    public List<PurchaseLineArgs>? Lines { get; set; }
}

public sealed class PurchaseLineArgs
{
    public string? ProductId { get; set; }
    public string? VariantId { get; set; }
    public string? Sku { get; set; }
    public string? Name { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}

public sealed class PurchaseLineInputType : InputObjectGraphType<PurchaseLineArgs>
{
    public PurchaseLineInputType()
    {
        Name = "PurchaseLineInput";
        Description = "One line of an order. Name what was bought with at least one of productId, sku and name.";
        Field<StringGraphType>("productId").Description("The store's product id (at most 200 characters).");
        Field<StringGraphType>("variantId").Description("The store's variant id (at most 200 characters).");
        Field<StringGraphType>("sku").Description("Stock keeping unit (at most 200 characters).");
        Field<StringGraphType>("name").Description("Product name as printed on the receipt (at most 200 characters).");
        Field<NonNullGraphType<IntGraphType>>("quantity").Description("How many, 1 to 100 000.");
        Field<NonNullGraphType<DecimalGraphType>>("unitPrice").Description("Price of one, 0 or more, at most 4 decimals.");
    }
}

public sealed class PurchaseLineType : ObjectGraphType<PurchaseLineView>
{
    public PurchaseLineType()
    {
        Name = "PurchaseLine";
        Description = "One line of a purchase as the store reported it.";
        Field(l => l.ProductId, nullable: true).Description("The store's product id.");
        Field(l => l.VariantId, nullable: true).Description("The store's variant id.");
        Field(l => l.Sku, nullable: true).Description("Stock keeping unit.");
        Field(l => l.Name, nullable: true).Description("Product name.");
        Field<NonNullGraphType<IntGraphType>>("quantity").Description("How many.").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<DecimalGraphType>>("unitPrice").Description("Price of one.").Resolve(c => c.Source.UnitPrice);
        Field<NonNullGraphType<DecimalGraphType>>("total").Description("Quantity times unit price.").Resolve(c => c.Source.Total);
    }
}

public sealed class RecordPurchaseInputType : InputObjectGraphType<RecordPurchaseArgs>
{
    public RecordPurchaseInputType()
    {
        Name = "RecordPurchaseInput";
        Description = "A purchase to record. Idempotent per (channel, storeId, orderReference): sending it again changes nothing, except PENDING -> COMPLETED.";
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member.");
        Field<NonNullGraphType<PurchaseChannelType>>("channel").Description("Where it was made.");
        Field<StringGraphType>("storeId").Description("The store's id (at most 200 characters); leave out for a program with one store.");
        Field<StringGraphType>("locationId").Description("Shop or till location (at most 200 characters).");
        Field<NonNullGraphType<StringGraphType>>("orderReference").Description("The store's order reference (at most 200 characters).");
        Field<NonNullGraphType<DecimalGraphType>>("amount").Description("Order total, shipping and tax included (0 or more).");
        Field<DecimalGraphType>("subtotal").Description("Order subtotal, for programs that earn on the subtotal.");
        Field<NonNullGraphType<StringGraphType>>("currency").Description("ISO 4217 currency; must be the program's (CURRENCY_MISMATCH otherwise).");
        Field<DateTimeGraphType>("occurredAt").Description("When it was made; default now.");
        Field<PurchaseStatusType>("status").Description("PENDING keeps the points pending until the purchase is sent again as COMPLETED.").DefaultValue(PurchaseStatus.Completed);
        Field<ListGraphType<NonNullGraphType<PurchaseLineInputType>>>("lines").Description($"The order's lines (optional, at most {PurchaseLineRules.MaxLines}): kept with the purchase; points are earned on the amount.");
    }
}

public sealed class ReversePurchaseArgs
{
    public PurchaseChannel Channel { get; set; }
    public string? StoreId { get; set; }
    public string OrderReference { get; set; } = "";
    public decimal? RefundAmount { get; set; }
    public string? RefundReference { get; set; }
    public string? Reason { get; set; }
}

public sealed class ReversePurchaseInputType : InputObjectGraphType<ReversePurchaseArgs>
{
    public ReversePurchaseInputType()
    {
        Name = "ReversePurchaseInput";
        Description = "A refund of a recorded purchase, found by channel, store and order reference.";
        Field<NonNullGraphType<PurchaseChannelType>>("channel").Description("The purchase's channel.");
        Field<StringGraphType>("storeId").Description("The purchase's store id.");
        Field<NonNullGraphType<StringGraphType>>("orderReference").Description("The purchase's order reference.");
        Field<DecimalGraphType>("refundAmount").Description("Amount refunded now; leave out to refund everything left (a full refund).");
        Field<StringGraphType>("refundReference").Description("The store's refund id: a refund sent again with the same reference changes nothing.");
        Field<StringGraphType>("reason").Description("Shown in the points history (at most 500 characters).");
    }
}

public sealed record RecordPurchaseResult(PurchaseView? Purchase, BalanceView? Balance, bool Replayed, IReadOnlyList<UserError> UserErrors);

public sealed class RecordPurchasePayloadType : ObjectGraphType<RecordPurchaseResult>
{
    public RecordPurchasePayloadType()
    {
        Name = "RecordPurchasePayload";
        Description = "Result of recordPurchase.";
        Field<PurchaseType>("purchase").Description("The purchase; null when refused.").Resolve(c => c.Source.Purchase);
        Field<BalanceType>("balance").Description("The member's balance after it; null when refused.").Resolve(c => c.Source.Balance);
        Field<NonNullGraphType<BooleanGraphType>>("replayed").Description("True when the order was already recorded and nothing changed.").Resolve(c => c.Source.Replayed);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record ReversePurchaseResult(PurchaseView? Purchase, BalanceView? Balance, long PointsTakenBack, IReadOnlyList<UserError> UserErrors);

public sealed class ReversePurchasePayloadType : ObjectGraphType<ReversePurchaseResult>
{
    public ReversePurchasePayloadType()
    {
        Name = "ReversePurchasePayload";
        Description = "Result of reversePurchase.";
        Field<PurchaseType>("purchase").Description("The purchase after the refund; null when refused.").Resolve(c => c.Source.Purchase);
        Field<BalanceType>("balance").Description("The member's balance after it (floored at zero); null when refused.").Resolve(c => c.Source.Balance);
        Field<NonNullGraphType<LongGraphType>>("pointsTakenBack").Description("Points this refund took back (the history records all of them even when the balance stops at zero).").Resolve(c => c.Source.PointsTakenBack);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed record UpdateEarningRulesResult(EarningSettings? EarningRules, IReadOnlyList<UserError> UserErrors);

public sealed class UpdateEarningRulesPayloadType : ObjectGraphType<UpdateEarningRulesResult>
{
    public UpdateEarningRulesPayloadType()
    {
        Name = "UpdateEarningRulesPayload";
        Description = "Result of updateEarningRules.";
        Field<EarningRulesType>("earningRules").Description("The rules now in force; null when refused.").Resolve(c => c.Source.EarningRules);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}
