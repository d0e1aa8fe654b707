using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Tiers;
using static HeadlessLoyalty.Api.Tests.Tiers.TierRulesTests;

namespace HeadlessLoyalty.Api.Tests.Tiers;

public sealed class TierProgressTests
{
    private static readonly Tier Bronze = T("Bronze", 0, 0), Silver = T("Silver", 100, 1), Gold = T("Gold", 500, 2), Platinum = T("Platinum", 1000, 3);
    private static readonly IReadOnlyList<Tier> Four = TierRules.Ordered([Bronze, Silver, Gold, Platinum]);
    private static readonly DateTimeOffset Enrolled = At("2025-06-10");
    /// <summary>Half of 2026 has gone by (182.5 of 365 days).</summary>
    private static readonly DateTimeOffset MidYear = At("2026-07-02T12:00");
    private static readonly TierHolding GoldFor2026 = new(Gold.Id, At("2026-03-01"), At("2026-01-01"), At("2027-01-01"));

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso + "Z", null, System.Globalization.DateTimeStyles.AdjustToUniversal);

    private static MetricPoint P(string at, decimal value) => new(At(at), value);

    private static TierStatus Status(TierPolicy policy, TierHolding? holding, DateTimeOffset now, params MetricPoint[] points) =>
        TierProgress.Status(policy, Four, holding, Enrolled, now, TimeZoneInfo.Utc, points);

    [Fact]
    public void The_metric_counts_from_the_start_up_to_before_the_end_and_never_below_zero()
    {
        MetricPoint[] points = [P("2026-01-01", 10), P("2026-06-01", 5), P("2026-12-31T23:59", 1), P("2027-01-01", 100)];

        Assert.Equal(16m, TierProgress.Sum(points, At("2026-01-01"), At("2027-01-01")));
        Assert.Equal(106m, TierProgress.Sum(points, At("2026-06-01")));
        Assert.Equal(0m, TierProgress.Sum([P("2026-02-01", 10), P("2026-03-01", -30)], At("2026-01-01")));
    }

    [Fact]
    public void The_pace_projection_scales_what_was_reached_by_the_share_of_the_period_gone()
    {
        Assert.Equal(600m, TierProgress.Project(300, At("2026-01-01"), MidYear, At("2027-01-01")));
        Assert.Equal(300m, TierProgress.Project(300, At("2026-01-01"), At("2027-02-01"), At("2027-01-01"))); // over: what it is
        Assert.Equal(0m, TierProgress.Project(0, At("2026-01-01"), MidYear, At("2027-01-01")));
        Assert.Equal(7m, TierProgress.Project(7, At("2026-01-01"), At("2026-01-01"), At("2027-01-01"))); // no time gone: no pace yet
    }

    [Fact]
    public void Projections_round_down_to_cents_of_spend_and_whole_points()
    {
        Assert.Equal(10.33m, TierProgress.RoundDown(10.3399m, TierMetric.Spend));
        Assert.Equal(10m, TierProgress.RoundDown(10.99m, TierMetric.PointsEarned));
    }

    [Fact]
    public void A_gold_member_on_pace_to_renew_sees_the_gaps_and_keeps_gold_in_the_forecast()
    {
        var s = Status(TierPolicy.Default, GoldFor2026, MidYear, P("2025-12-31", 1000), P("2026-02-01", 200), P("2026-05-01", 100));

        Assert.Same(Gold, s.Current);
        Assert.Equal((At("2026-03-01"), At("2027-01-01")), (s.AchievedAt, s.ExpiresAt));
        Assert.Equal((At("2026-01-01"), (DateTimeOffset?)At("2027-01-01")), (s.PeriodStart, s.PeriodEnd));
        Assert.Equal((300m, 600m, 200m, 700m), (s.Progress, s.ProjectedProgressAtExpiration, s.ProgressNeededToRenew, s.ProgressNeededToUpgrade));
        Assert.Same(Platinum, s.NextTier);
        Assert.Same(Gold, s.ForecastedTierAtExpiration);
    }

    [Theory]
    [InlineData(TierPeriodEnd.Recompute, "Silver")]
    [InlineData(TierPeriodEnd.DowngradeOneStep, "Silver")]
    [InlineData(TierPeriodEnd.Reset, "Bronze")]
    public void A_gold_member_behind_pace_is_forecast_what_the_policy_gives(TierPeriodEnd periodEnd, string forecast)
    {
        var s = Status(TierPolicy.Default with { PeriodEnd = periodEnd }, GoldFor2026, MidYear, P("2026-05-01", 100));

        Assert.Equal((100m, 200m, 400m), (s.Progress, s.ProjectedProgressAtExpiration, s.ProgressNeededToRenew));
        Assert.Equal(forecast, s.ForecastedTierAtExpiration?.Name);
    }

    [Fact]
    public void Under_the_retain_policy_a_tier_never_expires_nor_needs_renewing()
    {
        var s = Status(TierPolicy.Default with { PeriodEnd = TierPeriodEnd.Retain }, GoldFor2026, MidYear, P("2026-05-01", 100));

        Assert.Null(s.ExpiresAt);
        Assert.Null(s.ProgressNeededToRenew);
        Assert.Equal(200m, s.ProjectedProgressAtExpiration);
        Assert.Same(Gold, s.ForecastedTierAtExpiration);
    }

    [Fact]
    public void An_entry_tier_member_does_not_expire_but_is_forecast_the_tier_their_pace_reaches_by_the_years_end()
    {
        var s = Status(TierPolicy.Default, null, MidYear, P("2026-03-01", 80));

        Assert.Same(Bronze, s.Current);
        Assert.Equal(Enrolled, s.AchievedAt);
        Assert.Null(s.ExpiresAt);
        Assert.Null(s.ProgressNeededToRenew);
        Assert.Equal((80m, 160m, 20m), (s.Progress, s.ProjectedProgressAtExpiration, s.ProgressNeededToUpgrade));
        Assert.Same(Silver, s.NextTier);
        Assert.Same(Silver, s.ForecastedTierAtExpiration);
    }

    [Fact]
    public void On_a_rolling_period_progress_is_the_last_12_months_and_renewal_counts_from_the_terms_start()
    {
        var policy = new TierPolicy(TierMetric.Spend, TierPeriod.Rolling12Months, TierPeriodEnd.Recompute);
        var holding = new TierHolding(Gold.Id, At("2026-03-01"), At("2026-03-01"), At("2027-03-01"));
        // 1 September: 184 of the term's 365 days are gone.
        var s = Status(policy, holding, At("2026-09-01"), P("2025-08-31", 9999), P("2025-10-01", 400), P("2026-04-01", 184));

        Assert.Equal(584m, s.Progress); // 1 September 2025 onward
        Assert.Equal((At("2026-03-01"), (DateTimeOffset?)At("2027-03-01"), (DateTimeOffset?)At("2027-03-01")), (s.PeriodStart, s.PeriodEnd, s.ExpiresAt));
        Assert.Equal((365m, 316m, 416m), (s.ProjectedProgressAtExpiration, s.ProgressNeededToRenew, s.ProgressNeededToUpgrade));
        Assert.Same(Silver, s.ForecastedTierAtExpiration);
        Assert.Equal(TierMetric.Spend, s.Metric);
    }

    [Fact]
    public void On_a_rolling_period_the_entry_tier_has_no_period_end_to_project_to()
    {
        var s = Status(TierPolicy.Default with { Period = TierPeriod.Rolling12Months }, null, At("2026-09-01"), P("2026-04-01", 50));

        Assert.Equal((At("2025-09-01"), (DateTimeOffset?)null), (s.PeriodStart, s.PeriodEnd));
        Assert.Equal(50m, s.Progress);
        Assert.Null(s.ProjectedProgressAtExpiration);
        Assert.Null(s.ForecastedTierAtExpiration);
    }

    [Fact]
    public void On_membership_years_the_period_is_the_members_own()
    {
        var s = Status(TierPolicy.Default with { Period = TierPeriod.MembershipAnniversary }, null, MidYear, P("2026-06-09", 10), P("2026-06-10", 20));

        Assert.Equal((At("2026-06-10"), (DateTimeOffset?)At("2027-06-10")), (s.PeriodStart, s.PeriodEnd));
        Assert.Equal(20m, s.Progress);
    }

    [Fact]
    public void Without_tiers_there_is_no_tier_to_hold_reach_or_forecast()
    {
        var s = TierProgress.Status(TierPolicy.Default, [], null, Enrolled, MidYear, TimeZoneInfo.Utc, [P("2026-05-01", 100)]);

        Assert.Null(s.Current);
        Assert.Null(s.AchievedAt);
        Assert.Null(s.NextTier);
        Assert.Null(s.ProgressNeededToUpgrade);
        Assert.Null(s.ForecastedTierAtExpiration);
        Assert.Equal(100m, s.Progress);
    }

    [Theory]
    [InlineData(-29 * 24 * 60, null)]
    [InlineData(-28 * 24 * 60, EventTypes.TierResetIn4Weeks)]
    [InlineData(-15 * 24 * 60, EventTypes.TierResetIn4Weeks)]
    [InlineData(-14 * 24 * 60, EventTypes.TierResetIn2Weeks)]
    [InlineData(-2 * 24 * 60, EventTypes.TierResetIn2Weeks)]
    [InlineData(-24 * 60, EventTypes.TierResetIn1Day)]
    [InlineData(-1, EventTypes.TierResetIn1Day)]
    [InlineData(0, null)]
    [InlineData(60, null)]
    public void The_warning_due_is_the_most_urgent_mark_passed(int minutesFromExpiry, string? expected)
    {
        var expiresAt = At("2027-01-01");

        Assert.Equal(expected, TierProgress.WarningDue(expiresAt, expiresAt.AddMinutes(minutesFromExpiry)));
    }
}
