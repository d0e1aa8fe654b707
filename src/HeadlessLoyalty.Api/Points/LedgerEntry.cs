using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Points;

public enum LedgerEntryKind { Earn, Adjustment, Redeem, Expire, Reversal, Bonus }

public enum LedgerEntryStatus { Pending, Approved, Cancelled }

/// <summary>
/// One append-only line of a member's points ledger. Never updated except for the status transition
/// Pending -> Approved | Cancelled; corrections are new entries.
/// </summary>
public sealed class LedgerEntry : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid MemberId { get; init; }
    public required LedgerEntryKind Kind { get; init; }
    public required LedgerEntryStatus Status { get; set; }
    /// <summary>Signed: positive credits, negative debits.</summary>
    public required long Points { get; init; }
    public string? Reason { get; init; }
    /// <summary>Who caused it: <c>admin:&lt;sub&gt;</c>, <c>system</c>, <c>store:&lt;id&gt;</c>...</summary>
    public required string Actor { get; init; }
    /// <summary>What it came from, e.g. an order reference.</summary>
    public string? SourceReference { get; init; }
    public string? IdempotencyKey { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
