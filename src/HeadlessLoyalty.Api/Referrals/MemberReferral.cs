using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Referrals;

/// <summary>Pending: referred, no qualifying purchase yet. Rewarded: the first qualifying purchase rewarded both sides. Refused: the referral turned out to be a self-referral.</summary>
public enum ReferralStatus { Pending, Rewarded, Refused }

/// <summary>
/// A member's referral side, one row per member, written in the enrollment transaction: the member's own share code
/// (unique in the program) and, when they enrolled with someone's code, who referred them and what became of it.
/// <see cref="Version"/> is the concurrency token that makes the friend's reward once-only: two approvals racing to
/// reward the same friend both change this row, so the second one's save fails, retries and finds it rewarded.
/// </summary>
public sealed class MemberReferral : ITenantOwned
{
    public required Guid MemberId { get; init; }
    public Guid ProgramId { get; set; }
    /// <summary>The member's code to share (the alphabet of member codes: no 0/O, 1/I/L).</summary>
    public required string Code { get; init; }
    /// <summary>The member whose code this member enrolled with; null when not referred.</summary>
    public Guid? ReferrerId { get; init; }
    public DateTimeOffset? ReferredAt { get; init; }
    /// <summary>Null when not referred.</summary>
    public ReferralStatus? Status { get; set; }
    /// <summary>When the friend's first qualifying purchase rewarded the referral (or was found to be a self-referral).</summary>
    public DateTimeOffset? SettledAt { get; set; }
    public Guid? QualifyingPurchaseId { get; set; }
    /// <summary>True when the referrer was blocked at the time, so only the friend was rewarded.</summary>
    public bool ReferrerRewardWithheld { get; set; }
    public long Version { get; set; }
}
