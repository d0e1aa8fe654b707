using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Points;

/// <summary>
/// Points that became spendable together (one approved credit), consumed first-in-first-out by later debits and
/// lapsing at <see cref="ExpiresAt"/>. Invariant: the remaining points of a member's lots add up to their approved
/// balance when it is positive, and to zero while the member is in debt (see <see cref="LotRules"/>).
/// </summary>
public sealed class PointsLot : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid MemberId { get; init; }
    /// <summary>The credit that created it; null for the one lot the migration made of a balance older than lots.</summary>
    public Guid? EntryId { get; init; }
    /// <summary>When the points became spendable (posted, or a pending credit approved): the FIFO order.</summary>
    public required DateTimeOffset EarnedAt { get; init; }
    /// <summary>Fixed when the lot is made, from the policy in force then; null: never lapses by date.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The credit's points.</summary>
    public required long Points { get; init; }
    /// <summary>Of <see cref="Points"/>, what went straight to repaying a negative balance (never spendable).</summary>
    public long DebtRepaid { get; init; }
    /// <summary>Not yet consumed or expired; never below zero.</summary>
    public long Remaining { get; set; }
}

/// <summary>Which debit entry took how many points from which lot: the recorded FIFO allocation.</summary>
public sealed class LotAllocation : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid LotId { get; init; }
    /// <summary>The debit ledger entry (Redeem, negative Adjustment or Reversal, Expire).</summary>
    public required Guid EntryId { get; init; }
    public required Guid MemberId { get; init; }
    /// <summary>Positive: points taken from the lot.</summary>
    public required long Points { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
