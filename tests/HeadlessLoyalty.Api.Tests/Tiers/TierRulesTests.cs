using HeadlessLoyalty.Api.Tiers;

namespace HeadlessLoyalty.Api.Tests.Tiers;

public sealed class TierRulesTests
{
    private static Tier T(string name, int rank, long threshold) => new() { Id = Guid.NewGuid(), Name = name, Rank = rank, Threshold = threshold };

    private static readonly Tier Bronze = T("Bronze", 0, 0), Silver = T("Silver", 1, 1000), Gold = T("Gold", 2, 5000);
    private static readonly Tier[] Tiers = [Gold, Bronze, Silver]; // unordered on purpose

    [Theory]
    [InlineData(0, "Bronze", "Silver", 1000L)]
    [InlineData(999, "Bronze", "Silver", 1L)]
    [InlineData(1000, "Silver", "Gold", 4000L)]
    [InlineData(4999, "Silver", "Gold", 1L)]
    [InlineData(5000, "Gold", null, null)]
    [InlineData(1_000_000, "Gold", null, null)]
    public void The_current_tier_is_the_highest_reached_threshold(long lifetime, string current, string? next, long? toNext)
    {
        var s = TierRules.Evaluate(Tiers, lifetime);
        Assert.Equal((current, next, toNext), (s.Current?.Name, s.Next?.Name, s.PointsToNext));
    }

    [Fact]
    public void A_member_below_every_threshold_holds_no_tier()
    {
        var s = TierRules.Evaluate([Silver, Gold], 10);
        Assert.Null(s.Current);
        Assert.Equal((Silver, 990L), (s.Next, s.PointsToNext));
    }

    [Fact]
    public void No_tiers_means_no_standing()
    {
        Assert.Equal(new TierStanding(null, null, null), TierRules.Evaluate([], 500));
    }

    [Fact]
    public void A_tier_range_ends_at_the_next_threshold()
    {
        Assert.Equal((1000L, (long?)5000), TierRules.Range(Tiers, Silver));
        Assert.Equal((5000L, (long?)null), TierRules.Range(Tiers, Gold));
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(500, 0.5)]
    [InlineData(1000, 0.0)]     // just reached Silver: the way to Gold starts
    [InlineData(3000, 0.5)]
    [InlineData(5000, 1.0)]     // top tier
    [InlineData(9000, 1.0)]
    public void Progress_runs_from_the_current_threshold_to_the_next(long lifetime, double expected)
    {
        Assert.Equal(expected, TierRules.Progress(TierRules.Evaluate(Tiers, lifetime), lifetime), 6);
    }

    [Fact]
    public void Progress_below_every_tier_counts_from_zero_and_is_one_without_tiers()
    {
        Assert.Equal(0.25, TierRules.Progress(TierRules.Evaluate([Silver], 250), 250), 6);
        Assert.Equal(1.0, TierRules.Progress(TierRules.Evaluate([], 250), 250));
    }
}
