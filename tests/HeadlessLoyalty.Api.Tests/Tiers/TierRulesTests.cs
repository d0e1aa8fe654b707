using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Tiers;

namespace HeadlessLoyalty.Api.Tests.Tiers;

public sealed class TierRulesTests
{
    internal static Tier T(string name, decimal threshold, int rank = 0, decimal multiplier = 1m) =>
        new() { Id = Guid.NewGuid(), Name = name, Rank = rank, Threshold = threshold, EarningMultiplier = multiplier };

    private static readonly Tier Bronze = T("Bronze", 0, 0), Silver = T("Silver", 100, 1), Gold = T("Gold", 500, 2), Platinum = T("Platinum", 1000, 3);
    private static readonly IReadOnlyList<Tier> Four = TierRules.Ordered([Gold, Platinum, Bronze, Silver]);

    [Fact]
    public void Tiers_order_by_threshold_and_the_threshold_0_tier_is_the_entry_tier()
    {
        Assert.Equal(["Bronze", "Silver", "Gold", "Platinum"], Four.Select(t => t.Name));
        Assert.Same(Bronze, TierRules.Entry(Four));
        Assert.Null(TierRules.Entry(TierRules.Ordered([Silver, Gold])));
        Assert.Null(TierRules.Entry([]));
    }

    [Fact]
    public void A_member_without_a_tier_row_holds_the_entry_tier()
    {
        Assert.Same(Bronze, TierRules.Held(Four, null));
        Assert.Same(Gold, TierRules.Held(Four, Gold.Id));
        Assert.Same(Bronze, TierRules.Held(Four, Guid.NewGuid())); // a tier since deleted
        Assert.Null(TierRules.Held(TierRules.Ordered([Silver]), null));
    }

    [Theory]
    [InlineData(0, "Bronze")]
    [InlineData(99.99, "Bronze")]
    [InlineData(100, "Silver")]
    [InlineData(999, "Gold")]
    [InlineData(5000, "Platinum")]
    public void The_qualified_tier_is_the_highest_threshold_reached(decimal progress, string expected) =>
        Assert.Equal(expected, TierRules.Qualified(Four, progress)?.Name);

    [Fact]
    public void Next_and_previous_tiers_follow_the_order()
    {
        Assert.Same(Silver, TierRules.Above(Four, Bronze));
        Assert.Null(TierRules.Above(Four, Platinum));
        Assert.Same(Gold, TierRules.Below(Four, Platinum));
        Assert.Null(TierRules.Below(Four, Bronze));
        Assert.Same(Silver, TierRules.Above(TierRules.Ordered([Silver, Gold]), null)); // no tier yet: the lowest is next
    }

    [Fact]
    public void A_qualifying_change_upgrades_but_never_downgrades()
    {
        Assert.Same(Gold, TierRules.AfterQualifyingChange(Four, Silver, 600));
        Assert.Same(Gold, TierRules.AfterQualifyingChange(Four, Gold, 150)); // a refund lowered the total: nothing drops mid-period
        Assert.Same(Silver, TierRules.AfterQualifyingChange(TierRules.Ordered([Silver, Gold]), null, 100));
    }

    [Theory]
    // Platinum held; the period ended with 600 (Gold's worth) or 50 (Bronze's worth).
    [InlineData(TierPeriodEnd.Retain, 600, "Platinum")]
    [InlineData(TierPeriodEnd.DowngradeOneStep, 600, "Gold")]
    [InlineData(TierPeriodEnd.Recompute, 600, "Gold")]
    [InlineData(TierPeriodEnd.Reset, 600, "Bronze")]
    [InlineData(TierPeriodEnd.Retain, 50, "Platinum")]
    [InlineData(TierPeriodEnd.DowngradeOneStep, 50, "Gold")]
    [InlineData(TierPeriodEnd.Recompute, 50, "Bronze")]
    [InlineData(TierPeriodEnd.Reset, 50, "Bronze")]
    [InlineData(TierPeriodEnd.Reset, 1000, "Platinum")] // requalified: kept under every policy
    [InlineData(TierPeriodEnd.DowngradeOneStep, 1200, "Platinum")]
    public void At_period_end_a_member_who_did_not_requalify_gets_the_policy(TierPeriodEnd policy, decimal progress, string expected) =>
        Assert.Equal(expected, TierRules.AtPeriodEnd(Four, Platinum, progress, policy)?.Name);

    [Theory]
    [InlineData(TierPeriodEnd.Retain)]
    [InlineData(TierPeriodEnd.DowngradeOneStep)]
    [InlineData(TierPeriodEnd.Recompute)]
    [InlineData(TierPeriodEnd.Reset)]
    public void A_period_whose_metric_reaches_a_higher_tier_ends_in_that_tier(TierPeriodEnd policy) =>
        Assert.Same(Gold, TierRules.AtPeriodEnd(Four, Silver, 700, policy));

    [Fact]
    public void Without_an_entry_tier_dropping_below_the_lowest_tier_leaves_no_tier()
    {
        var two = TierRules.Ordered([Silver, Gold]);
        Assert.Null(TierRules.AtPeriodEnd(two, Silver, 10, TierPeriodEnd.DowngradeOneStep));
        Assert.Null(TierRules.AtPeriodEnd(two, Gold, 10, TierPeriodEnd.Reset));
        Assert.Null(TierRules.AtPeriodEnd(two, Gold, 10, TierPeriodEnd.Recompute));
    }

    [Fact]
    public void A_move_up_is_achieved_and_a_move_down_is_a_reset_or_a_downgrade_by_policy()
    {
        Assert.Equal(TierChange.Achieved, TierRules.Classify(Four, Silver, Gold, TierPeriodEnd.Recompute));
        Assert.Equal(TierChange.Downgraded, TierRules.Classify(Four, Gold, Silver, TierPeriodEnd.Recompute));
        Assert.Equal(TierChange.Downgraded, TierRules.Classify(Four, Gold, Silver, TierPeriodEnd.DowngradeOneStep));
        Assert.Equal(TierChange.Reset, TierRules.Classify(Four, Gold, Bronze, TierPeriodEnd.Reset));
        Assert.Equal(TierChange.None, TierRules.Classify(Four, Gold, Gold, TierPeriodEnd.Reset));
        Assert.Equal(TierChange.Achieved, TierRules.Classify(Four, null, Silver, TierPeriodEnd.Reset));
    }

    [Fact]
    public void The_multiplier_of_a_channel_is_its_own_or_the_default()
    {
        var tier = T("Gold", 500, multiplier: 1.5m);
        tier.PosMultiplier = 2m;

        Assert.Equal(2m, tier.MultiplierFor(PurchaseChannel.Pos));
        Assert.Equal(1.5m, tier.MultiplierFor(PurchaseChannel.Online));
    }

    [Theory]
    [InlineData("", 10, 1, null, "name")]
    [InlineData("silver", 10, 1, null, "name")] // taken, case-insensitively
    [InlineData("New", -1, 1, null, "threshold")]
    [InlineData("New", 100, 1, null, "threshold")] // Silver's threshold
    [InlineData("New", 10.00001, 1, null, "threshold")]
    [InlineData("New", 10, 0.5, null, "earningMultiplier")]
    [InlineData("New", 10, 101, null, "earningMultiplier")]
    [InlineData("New", 10, 1, 0.9, "channelMultipliers")]
    public void Invalid_definitions_are_refused_naming_the_field(string name, decimal threshold, decimal multiplier, double? pos, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            TierRules.Validate(new TierDefinition(name, threshold, multiplier, PosMultiplier: (decimal?)pos), [Bronze, Silver]));

        Assert.Equal((ErrorCodes.InvalidInput, field), (e.Code, e.Field));
    }

    [Fact]
    public void A_valid_definition_comes_back_trimmed()
    {
        var valid = TierRules.Validate(new TierDefinition("  Gold ", 500.5m, 1.25m, 3m, null, "  Double points  "), [Bronze]);

        Assert.Equal(new TierDefinition("Gold", 500.5m, 1.25m, 3m, null, "Double points"), valid);
        Assert.Null(TierRules.Validate(new TierDefinition("Gold", 1, Description: "   "), []).Description);
    }

    [Fact]
    public void A_program_has_at_most_20_tiers()
    {
        var twenty = Enumerable.Range(0, TierRules.MaxTiers).Select(i => T($"T{i}", i)).ToList();

        Assert.Equal("threshold", Assert.Throws<InvalidInputException>(() => TierRules.Validate(new TierDefinition("More", 1000), twenty)).Field);
    }

    [Theory]
    [InlineData("1000.0000", "1000")]
    [InlineData("12.5000", "12.5")]
    [InlineData("0.0000", "0")]
    public void Stored_decimals_read_without_trailing_zeros(string stored, string expected) =>
        Assert.Equal(expected, TierRules.Normalize(decimal.Parse(stored, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
