using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Purchases;

/// <summary>A purchase as recorded: the store's order (channel, store, reference) and what it earned.</summary>
public sealed record RecordPurchaseInput(
    Guid MemberId, PurchaseChannel Channel, string? StoreId, string? LocationId, string OrderReference,
    decimal Amount, decimal? Subtotal, string Currency, DateTimeOffset? OccurredAt, PurchaseStatus Status,
    IReadOnlyList<PurchaseLineInput>? Lines = null);

/// <summary>A refund of a recorded purchase: <see cref="RefundAmount"/> null refunds what is left (a full refund).</summary>
public sealed record ReversePurchaseInput(
    PurchaseChannel Channel, string? StoreId, string OrderReference, decimal? RefundAmount, string? RefundReference, string? Reason);

public sealed record PurchaseView(
    Guid Id, Guid MemberId, PurchaseChannel Channel, string StoreId, string? LocationId, string OrderReference,
    decimal Amount, decimal? Subtotal, string Currency, PurchaseStatus Status, DateTimeOffset OccurredAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? ApprovalDueAt, DateTimeOffset? PointsApprovedAt,
    long PointsEarned, long WelcomeBonus, decimal RefundedAmount, long PointsReversed, DateTimeOffset RecordedAt,
    ValueList<PurchaseLineView> Lines)
{
    public static PurchaseView Of(Purchase p) => new(
        p.Id, p.MemberId, p.Channel, p.StoreId, p.LocationId, p.OrderReference, p.Amount, p.Subtotal, p.Currency, p.Status,
        p.OccurredAt, p.CompletedAt, p.ApprovalDueAt, p.PointsApprovedAt, p.PointsEarned, p.WelcomeBonus, p.RefundedAmount,
        p.PointsReversed, p.RecordedAt, new((p.Lines ?? []).Select(PurchaseLineView.Of))); // rows from before lines were kept have none
}

/// <summary><see cref="Replayed"/>: the order was already recorded and nothing new was earned (a store's retry).</summary>
public sealed record RecordPurchasePayload(PurchaseView Purchase, BalanceView Balance, bool Replayed);

/// <summary><see cref="PointsTakenBack"/>: what this refund took back (the ledger records the full amount even when the balance floors at zero).</summary>
public sealed record ReversePurchasePayload(PurchaseView Purchase, BalanceView Balance, long PointsTakenBack);
