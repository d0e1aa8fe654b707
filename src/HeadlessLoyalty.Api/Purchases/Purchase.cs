using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Purchases;

public enum PurchaseChannel { Online, Pos }

/// <summary>Pending: paid or placed but not yet complete (unfulfilled, unpaid); Completed: its return window may start.</summary>
public enum PurchaseStatus { Pending, Completed }

/// <summary>
/// One purchase in the member's omnichannel history, unique per (program, channel, store, order reference): a store
/// that sends the same order again finds this row. Keeps what it awarded, so refunds take back exactly that.
/// </summary>
public sealed class Purchase : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid MemberId { get; init; }
    public required PurchaseChannel Channel { get; init; }
    /// <summary>The store's id in the program ("" for a program with one store).</summary>
    public required string StoreId { get; init; }
    public string? LocationId { get; init; }
    public required string OrderReference { get; init; }
    /// <summary>The order total as the store reports it (shipping and tax included).</summary>
    public required decimal Amount { get; init; }
    public decimal? Subtotal { get; init; }
    /// <summary>ISO 4217, the program's currency.</summary>
    public required string Currency { get; init; }
    public required PurchaseStatus Status { get; set; }
    public required DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>When the pending points become spendable (completion + the program's pending days); null while pending.</summary>
    public DateTimeOffset? ApprovalDueAt { get; set; }
    /// <summary>When its pending points were approved (by completion without a return window, or by the approval job).</summary>
    public DateTimeOffset? PointsApprovedAt { get; set; }
    /// <summary>Points this purchase earned (before refunds), and the ledger entry that holds them (null when it earned none).</summary>
    public required long PointsEarned { get; init; }
    public Guid? EarnEntryId { get; set; }
    /// <summary>The welcome bonus this purchase carried as the member's first purchase (0 when none).</summary>
    public required long WelcomeBonus { get; init; }
    public Guid? BonusEntryId { get; set; }
    public decimal RefundedAmount { get; set; }
    /// <summary>Points taken back by refunds so far (welcome bonus included once the refund is full).</summary>
    public long PointsReversed { get; set; }
    public required DateTimeOffset RecordedAt { get; init; }
    /// <summary>The order's lines as the store sent them (empty when it sent none); stored as JSON with the purchase.</summary>
    public List<PurchaseLine> Lines { get; init; } = [];
    /// <summary>Concurrency token: refunds and completion bump it, so two concurrent changes of one purchase cannot both commit on stale numbers.</summary>
    public long Version { get; set; }
}
