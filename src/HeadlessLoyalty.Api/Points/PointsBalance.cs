using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Points;

/// <summary>
/// The materialized balance of one member, changed in the same transaction as the ledger entry that moves it.
/// <see cref="Version"/> is the optimistic concurrency token: a concurrent writer's SaveChanges fails and retries.
/// </summary>
public sealed class PointsBalance : ITenantOwned
{
    public required Guid MemberId { get; init; }
    public Guid ProgramId { get; set; }
    /// <summary>Spendable now.</summary>
    public long Approved { get; set; }
    /// <summary>Earned, not yet spendable.</summary>
    public long Pending { get; set; }
    /// <summary>Points used on rewards (positive number).</summary>
    public long Spent { get; set; }
    /// <summary>Points that lapsed (positive number).</summary>
    public long Expired { get; set; }
    /// <summary>Everything ever earned (approved credits), spent included.</summary>
    public long Lifetime { get; set; }
    public DateTimeOffset LastUpdatedAt { get; set; }
    /// <summary>The last qualifying activity (an Earn, Bonus or Redeem entry; see <c>ExpiryRules</c>); the inactivity policy counts from it.</summary>
    public DateTimeOffset? LastActivityAt { get; set; }
    public long Version { get; set; }

    public long Total => Approved + Pending;
}
