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

    /// <summary>
    /// How far from the current tier's threshold (0 below every tier) to the next one, in [0, 1]; 1 at the top tier
    /// or when the program defines none.
    /// </summary>
    public static double Progress(TierStanding standing, long lifetimePoints)
    {
        if (standing.Next is not { } next)
            return 1;
        var from = standing.Current?.Threshold ?? 0;
        var span = next.Threshold - from;
        return span <= 0 ? 0 : Math.Clamp((double)(lifetimePoints - from) / span, 0, 1);
    }

    /// <summary>The lifetime-points range [From, To) that holds <paramref name="tier"/>: used to filter members by tier.</summary>
    public static (long From, long? To) Range(IEnumerable<Tier> tiers, Tier tier)
    {
        var above = tiers.Where(t => t.Threshold > tier.Threshold).Select(t => (long?)t.Threshold).Min();
        return (tier.Threshold, above);
    }
}
