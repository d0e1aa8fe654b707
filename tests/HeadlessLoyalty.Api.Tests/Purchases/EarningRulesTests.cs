using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Purchases;

namespace HeadlessLoyalty.Api.Tests.Purchases;

public sealed class EarningRulesTests
{
    private static readonly EarningSettings Default = EarningSettings.Default;

    private static void AssertInvalid(string field, Action act)
    {
        var e = Assert.Throws<InvalidInputException>(act);
        Assert.Equal(field, e.Field);
        Assert.Equal(ErrorCodes.InvalidInput, e.Code);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    // ---- defaults and bounds ----

    [Fact]
    public void The_defaults_earn_one_point_per_unit_rounded_down_on_the_order_total_approved_at_once()
    {
        Assert.Equal(new EarningSettings(1m, PointsRounding.Down, 0, null, EarningBase.OrderTotal, 0, 0), Default);
        EarningRules.Validate(Default);
        Assert.Equal(42, EarningRules.PointsFor(42.99m, Default));
    }

    [Fact]
    public void The_purchase_cap_is_the_ledger_entry_bound()
    {
        Assert.Equal(HeadlessLoyalty.Api.Points.Ledger.MaxPointsPerEntry, EarningRules.MaxPointsPerPurchase);
        Assert.Equal(1_000_000_000, EarningRules.MaxPointsPerPurchase);
        Assert.Equal(365, EarningRules.MaxPendingDays);
    }

    // ---- rounding ----

    [Theory]
    [InlineData(PointsRounding.Down, "10.49", 10)]
    [InlineData(PointsRounding.Down, "10.5", 10)]
    [InlineData(PointsRounding.Down, "10.99", 10)]
    [InlineData(PointsRounding.Down, "10", 10)]
    [InlineData(PointsRounding.Nearest, "10.49", 10)]
    [InlineData(PointsRounding.Nearest, "10.5", 11)]
    [InlineData(PointsRounding.Nearest, "11.5", 12)]
    [InlineData(PointsRounding.Nearest, "0.5", 1)]
    [InlineData(PointsRounding.Nearest, "0.49", 0)]
    [InlineData(PointsRounding.Nearest, "10", 10)]
    [InlineData(PointsRounding.Up, "10.01", 11)]
    [InlineData(PointsRounding.Up, "10.5", 11)]
    [InlineData(PointsRounding.Up, "0.01", 1)]
    [InlineData(PointsRounding.Up, "10", 10)]
    public void Each_rounding_mode_turns_fractional_points_into_whole_points(PointsRounding rounding, string amount, long expected)
    {
        Assert.Equal(expected, EarningRules.PointsFor(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Default with { Rounding = rounding }));
    }

    [Fact]
    public void Nearest_rounds_halves_away_from_zero_not_to_even()
    {
        // Banker's rounding would give 12 for 12.5; the rule promises 13.
        Assert.Equal(13, EarningRules.PointsFor(12.5m, Default with { Rounding = PointsRounding.Nearest }));
    }

    // ---- rate and multiplier ----

    [Theory]
    [InlineData("2", "19.99", "1", PointsRounding.Down, 39)]        // 39.98
    [InlineData("0.1", "19.99", "1", PointsRounding.Down, 1)]       // 1.999
    [InlineData("0.1", "19.99", "1", PointsRounding.Nearest, 2)]    // 1.999
    [InlineData("0.0001", "5000", "1", PointsRounding.Down, 0)]     // 0.5
    [InlineData("0.0001", "5000", "1", PointsRounding.Nearest, 1)]  // 0.5
    [InlineData("1", "10", "1.5", PointsRounding.Down, 15)]
    [InlineData("1", "9.99", "1.5", PointsRounding.Down, 14)]       // 14.985
    [InlineData("1", "9.99", "1.5", PointsRounding.Nearest, 15)]    // 14.985
    [InlineData("1", "9", "1.25", PointsRounding.Nearest, 11)]      // 11.25
    [InlineData("2", "7", "1.25", PointsRounding.Nearest, 18)]      // 17.5
    [InlineData("2", "7", "1.25", PointsRounding.Up, 18)]           // 17.5
    [InlineData("2", "7", "1.25", PointsRounding.Down, 17)]         // 17.5
    [InlineData("1", "10", "100", PointsRounding.Down, 1000)]
    public void Points_are_amount_times_rate_times_multiplier_rounded(string rate, string amount, string multiplier, PointsRounding rounding, long expected)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var s = Default with { PointsPerCurrencyUnit = decimal.Parse(rate, inv), Rounding = rounding };
        Assert.Equal(expected, EarningRules.PointsFor(decimal.Parse(amount, inv), s, decimal.Parse(multiplier, inv)));
    }

    [Theory]
    [InlineData("0.99")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("100.01")]
    [InlineData("1000")]
    public void A_multiplier_outside_1_to_100_is_refused(string multiplier)
    {
        AssertInvalid("multiplier", () => EarningRules.PointsFor(10m, Default, decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture)));
    }

    // ---- zero, negative, clamps ----

    [Fact]
    public void A_zero_amount_earns_nothing_even_with_a_minimum()
    {
        Assert.Equal(0, EarningRules.PointsFor(0m, Default with { MinPointsPerPurchase = 5 }));
    }

    [Fact]
    public void A_negative_amount_is_refused()
    {
        AssertInvalid("amount", () => EarningRules.PointsFor(-0.01m, Default));
    }

    [Fact]
    public void The_minimum_is_guaranteed_to_every_purchase_that_has_an_amount()
    {
        var s = Default with { MinPointsPerPurchase = 5 };
        Assert.Equal(5, EarningRules.PointsFor(0.01m, s));
        Assert.Equal(5, EarningRules.PointsFor(4.99m, s));
        Assert.Equal(6, EarningRules.PointsFor(6.5m, s));
    }

    [Fact]
    public void The_maximum_caps_what_one_purchase_earns()
    {
        var s = Default with { MaxPointsPerPurchase = 500 };
        Assert.Equal(500, EarningRules.PointsFor(10_000m, s));
        Assert.Equal(499, EarningRules.PointsFor(499.99m, s));
        Assert.Equal(500, EarningRules.PointsFor(250m, s, multiplier: 3m));
    }

    [Fact]
    public void Min_equal_to_max_earns_exactly_that_for_any_positive_amount()
    {
        var s = Default with { MinPointsPerPurchase = 10, MaxPointsPerPurchase = 10 };
        Assert.Equal(10, EarningRules.PointsFor(0.01m, s));
        Assert.Equal(10, EarningRules.PointsFor(1_000m, s));
    }

    [Fact]
    public void Without_a_maximum_the_ledger_bound_caps_even_absurd_amounts()
    {
        var s = Default with { PointsPerCurrencyUnit = 10_000m };
        Assert.Equal(EarningRules.MaxPointsPerPurchase, EarningRules.PointsFor(decimal.MaxValue, s, 100m));
        Assert.Equal(EarningRules.MaxPointsPerPurchase, EarningRules.PointsFor(1_000_000_000m, Default));
        Assert.Equal(EarningRules.MaxPointsPerPurchase, EarningRules.PointsFor(1_000_000_000.5m, Default with { Rounding = PointsRounding.Up }));
        Assert.Equal(999_999_999, EarningRules.PointsFor(999_999_999.99m, Default));
    }

    [Fact]
    public void Settings_are_checked_before_earning()
    {
        AssertInvalid("pointsPerCurrencyUnit", () => EarningRules.PointsFor(10m, Default with { PointsPerCurrencyUnit = 0m }));
    }

    // ---- base amount ----

    [Fact]
    public void The_order_total_base_earns_on_the_total_including_shipping_and_tax()
    {
        Assert.Equal(120m, EarningRules.BaseAmount(120m, 100m, Default));
    }

    [Fact]
    public void The_subtotal_base_earns_on_the_subtotal()
    {
        Assert.Equal(100m, EarningRules.BaseAmount(120m, 100m, Default with { Base = EarningBase.Subtotal }));
    }

    [Fact]
    public void The_subtotal_base_falls_back_to_the_total_when_the_store_sends_no_subtotal()
    {
        Assert.Equal(120m, EarningRules.BaseAmount(120m, null, Default with { Base = EarningBase.Subtotal }));
    }

    [Fact]
    public void Negative_totals_and_subtotals_are_refused_naming_the_field()
    {
        AssertInvalid("amount", () => EarningRules.BaseAmount(-1m, 10m, Default));
        AssertInvalid("subtotal", () => EarningRules.BaseAmount(10m, -1m, Default with { Base = EarningBase.Subtotal }));
    }

    // ---- validation ----

    public static TheoryData<EarningSettings> ValidSettings() => new()
    {
        EarningSettings.Default,
        new EarningSettings(0.0001m),
        new EarningSettings(10_000m),
        new EarningSettings(1.2345m),
        new EarningSettings(1.50000m), // trailing zeros are not decimal places
        new EarningSettings(MinPointsPerPurchase: 1_000_000_000, MaxPointsPerPurchase: 1_000_000_000),
        new EarningSettings(MaxPointsPerPurchase: 1),
        new EarningSettings(WelcomeBonusPoints: 1_000_000_000),
        new EarningSettings(PendingDays: 365),
    };

    [Theory]
    [MemberData(nameof(ValidSettings))]
    public void Settings_within_the_bounds_are_accepted(EarningSettings s)
    {
        EarningRules.Validate(s);
    }

    public static TheoryData<EarningSettings, string> InvalidSettings() => new()
    {
        { new EarningSettings(0m), "pointsPerCurrencyUnit" },
        { new EarningSettings(-1m), "pointsPerCurrencyUnit" },
        { new EarningSettings(10_000.0001m), "pointsPerCurrencyUnit" },
        { new EarningSettings(0.00001m), "pointsPerCurrencyUnit" },
        { new EarningSettings(1.23456m), "pointsPerCurrencyUnit" },
        { new EarningSettings(MinPointsPerPurchase: -1), "minPointsPerPurchase" },
        { new EarningSettings(MinPointsPerPurchase: 1_000_000_001), "minPointsPerPurchase" },
        { new EarningSettings(MaxPointsPerPurchase: 0), "maxPointsPerPurchase" },
        { new EarningSettings(MaxPointsPerPurchase: -5), "maxPointsPerPurchase" },
        { new EarningSettings(MaxPointsPerPurchase: 1_000_000_001), "maxPointsPerPurchase" },
        { new EarningSettings(MinPointsPerPurchase: 10, MaxPointsPerPurchase: 9), "maxPointsPerPurchase" },
        { new EarningSettings(WelcomeBonusPoints: -1), "welcomeBonusPoints" },
        { new EarningSettings(WelcomeBonusPoints: 1_000_000_001), "welcomeBonusPoints" },
        { new EarningSettings(PendingDays: -1), "pendingDays" },
        { new EarningSettings(PendingDays: 366), "pendingDays" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Settings_out_of_bounds_are_refused_naming_the_field(EarningSettings s, string field)
    {
        AssertInvalid(field, () => EarningRules.Validate(s));
    }

    [Fact]
    public void A_maximum_below_the_minimum_says_so()
    {
        var e = Assert.Throws<InvalidInputException>(() => EarningRules.Validate(new EarningSettings(MinPointsPerPurchase: 10, MaxPointsPerPurchase: 9)));
        Assert.Contains("minimum", e.Message);
    }

    // ---- reversals ----

    [Fact]
    public void Three_equal_partial_refunds_take_back_33_34_33_of_100()
    {
        var first = EarningRules.ReversalPoints(100, 30.00m, 0m, 10.00m);
        var second = EarningRules.ReversalPoints(100, 30.00m, 10.00m, 10.00m);
        var third = EarningRules.ReversalPoints(100, 30.00m, 20.00m, 10.00m);
        Assert.Equal((33, 34, 33), (first, second, third));
        Assert.Equal(100, first + second + third);
    }

    [Fact]
    public void A_full_refund_at_once_takes_back_everything()
    {
        Assert.Equal(100, EarningRules.ReversalPoints(100, 30.00m, 0m, 30.00m));
        Assert.True(EarningRules.IsFullRefund(30.00m, 0m, 30.00m));
    }

    [Fact]
    public void Half_shares_round_away_from_zero_and_the_last_refund_takes_the_rest()
    {
        Assert.Equal(2, EarningRules.ReversalPoints(3, 2.00m, 0m, 1.00m));   // 1.5 -> 2
        Assert.Equal(1, EarningRules.ReversalPoints(3, 2.00m, 1.00m, 1.00m)); // 3 - 2
        Assert.Equal(50, EarningRules.ReversalPoints(100, 30m, 0m, 15m));
        Assert.Equal(50, EarningRules.ReversalPoints(100, 30m, 15m, 15m));
    }

    [Fact]
    public void A_tiny_refund_can_take_nothing_and_the_points_are_caught_up_later()
    {
        // 100 points on 100.00: a 0.40 refund is 0.4 points (0), a further 0.20 brings the total to 0.6 (1).
        Assert.Equal(0, EarningRules.ReversalPoints(100, 100m, 0m, 0.40m));
        Assert.Equal(1, EarningRules.ReversalPoints(100, 100m, 0.40m, 0.20m));
        Assert.Equal(99, EarningRules.ReversalPoints(100, 100m, 0.60m, 99.40m));
    }

    [Fact]
    public void A_purchase_that_awarded_nothing_takes_nothing_back()
    {
        Assert.Equal(0, EarningRules.ReversalPoints(0, 30m, 0m, 30m));
    }

    [Fact]
    public void A_huge_award_on_a_huge_amount_still_reverses_exactly()
    {
        var amount = 1e20m;
        var first = EarningRules.ReversalPoints(1_000_000_000, amount, 0m, amount / 3);
        var rest = EarningRules.ReversalPoints(1_000_000_000, amount, amount / 3, amount - amount / 3);
        Assert.Equal(333_333_333, first);
        Assert.Equal(1_000_000_000, first + rest);
    }

    [Theory]
    [InlineData("30", "0", "0")]
    [InlineData("30", "0", "-1")]
    [InlineData("30", "20", "10.01")]
    [InlineData("30", "30", "1")]
    [InlineData("30", "-1", "1")]
    [InlineData("0", "0", "1")]
    [InlineData("-5", "0", "1")]
    public void Refunds_that_are_empty_negative_or_exceed_the_purchase_are_refused(string amount, string before, string now)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        AssertInvalid("amount", () => EarningRules.ReversalPoints(100, decimal.Parse(amount, inv), decimal.Parse(before, inv), decimal.Parse(now, inv)));
    }

    [Fact]
    public void A_negative_award_is_a_bug_not_an_input_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EarningRules.ReversalPoints(-1, 30m, 0m, 10m));
    }

    [Theory]
    [InlineData("30", "0", "10", false)]
    [InlineData("30", "20", "10", true)]
    [InlineData("30.00", "0", "30", true)]
    [InlineData("30", "19.99", "10", false)]
    public void A_refund_is_full_when_it_brings_the_refunded_total_to_the_amount(string amount, string before, string now, bool full)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(full, EarningRules.IsFullRefund(decimal.Parse(amount, inv), decimal.Parse(before, inv), decimal.Parse(now, inv)));
    }

    // ---- approval ----

    [Fact]
    public void Pending_points_are_due_pending_days_after_the_purchase_completes()
    {
        var completed = new DateTimeOffset(2026, 2, 20, 15, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 3, 22, 15, 30, 0, TimeSpan.FromHours(2)), EarningRules.ApprovalDueAt(completed, Default with { PendingDays = 30 }));
    }

    [Fact]
    public void With_no_pending_days_points_are_due_at_completion()
    {
        var completed = new DateTimeOffset(2026, 2, 20, 15, 30, 0, TimeSpan.Zero);
        Assert.Equal(completed, EarningRules.ApprovalDueAt(completed, Default));
    }
}
