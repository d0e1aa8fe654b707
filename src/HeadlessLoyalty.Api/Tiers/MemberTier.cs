using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>
/// The tier a member holds, written in the same transaction as the change that moved it (a purchase or points that
/// crossed a threshold, or the period-end run). No row, or a null <see cref="TierId"/>, means the entry tier (the
/// threshold-0 tier; none when the program has no such tier), which never lapses.
/// </summary>
public sealed class MemberTier : ITenantOwned
{
    public required Guid MemberId { get; init; }
    public Guid ProgramId { get; set; }
    /// <summary>The tier held above the entry tier; null: the entry tier.</summary>
    public Guid? TierId { get; set; }
    /// <summary>When the member reached the tier held (kept when it is renewed).</summary>
    public DateTimeOffset AchievedAt { get; set; }
    /// <summary>Start of the period whose metric renews the tier; null with the entry tier.</summary>
    public DateTimeOffset? PeriodStart { get; set; }
    /// <summary>When the period ends and the program's <see cref="TierPeriodEnd"/> policy applies; null with the entry tier.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>Concurrency token: a purchase's upgrade and the period-end run never both commit on stale data.</summary>
    public long Version { get; set; }

    public TierHolding ToHolding() => new(TierId, AchievedAt, PeriodStart, ExpiresAt);
}

/// <summary>The row's facts, as the pure rules take them.</summary>
public sealed record TierHolding(Guid? TierId, DateTimeOffset AchievedAt, DateTimeOffset? PeriodStart, DateTimeOffset? ExpiresAt);
