namespace HeadlessLoyalty.Api.Tiers;

/// <summary>Where a member stands: the tier held, the next one up and how far it is. All null when no tier is defined.</summary>
public sealed record TierStanding(Tier? Current, Tier? Next, long? PointsToNext);

public static class TierRules
{
    /// <summary>
    /// Current = the highest tier whose threshold is at most <paramref name="lifetimePoints"/> (a member below every
    /// threshold holds none); Next = the lowest tier above it; PointsToNext = its threshold minus lifetime points.
    /// Ties on threshold are broken by rank, so a misconfigured program still gets a deterministic answer.
    /// </summary>
    public static TierStanding Evaluate(IEnumerable<Tier> tiers, long lifetimePoints)
    {
        var ordered = tiers.OrderBy(t => t.Threshold).ThenBy(t => t.Rank).ToList();
        var current = ordered.LastOrDefault(t => t.Threshold <= lifetimePoints);
        var next = ordered.FirstOrDefault(t => t.Threshold > lifetimePoints);
        return new TierStanding(current, next, next is null ? null : next.Threshold - lifetimePoints);
    }

    /// <summary>The lifetime-points range [From, To) that holds <paramref name="tier"/>: used to filter members by tier.</summary>
    public static (long From, long? To) Range(IEnumerable<Tier> tiers, Tier tier)
    {
        var above = tiers.Where(t => t.Threshold > tier.Threshold).Select(t => (long?)t.Threshold).Min();
        return (tier.Threshold, above);
    }
}
