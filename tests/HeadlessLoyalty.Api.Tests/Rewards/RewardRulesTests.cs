using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Rewards;

namespace HeadlessLoyalty.Api.Tests.Rewards;

public sealed class RewardRulesTests
{
    private static Reward From(RewardDefinition d) => new()
    {
        Id = Guid.NewGuid(), Name = d.Name, Kind = d.Kind, PointsCost = d.PointsCost, Value = d.Value, ValuePerPoint = d.ValuePerPoint,
        MinPoints = d.MinPoints, MaxPoints = d.MaxPoints, CodePrefix = d.CodePrefix, ValidityDays = d.ValidityDays, UpdatedAt = default,
    };

    public static TheoryData<RewardDefinition, string> Invalid() => new()
    {
        { new("", RewardKind.FixedAmountCoupon, 100, 5m), "name" },
        { new(new string('n', 101), RewardKind.FixedAmountCoupon, 100, 5m), "name" },
        { new("x", RewardKind.FixedAmountCoupon, 100, 5m, CodePrefix: "points"), "codePrefix" },
        { new("x", RewardKind.FixedAmountCoupon, 100, 5m, CodePrefix: "A-B"), "codePrefix" },
        { new("x", RewardKind.FixedAmountCoupon, 100, 5m, ValidityDays: 0), "validityDays" },
        { new("x", RewardKind.FixedAmountCoupon, 100, 5m, ValidityDays: 91), "validityDays" },
        { new("x", RewardKind.FixedAmountCoupon, 0, 5m), "pointsCost" },
        { new("x", RewardKind.FixedAmountCoupon, 100, null), "value" },
        { new("x", RewardKind.FixedAmountCoupon, 100, 5.001m), "value" },
        { new("x", RewardKind.PercentageCoupon, 100, 101m), "value" },
        { new("x", RewardKind.PercentageCoupon, 100, 0m), "value" },
        { new("x", RewardKind.FreeShipping, 100, 1m), "value" },
        { new("x", RewardKind.FixedAmountCoupon, 100, 5m, ValuePerPoint: 0.05m), "valuePerPoint" },
        { new("x", RewardKind.PointsDiscount, ValuePerPoint: null, MinPoints: 100), "valuePerPoint" },
        { new("x", RewardKind.PointsDiscount, ValuePerPoint: 0m, MinPoints: 100), "valuePerPoint" },
        { new("x", RewardKind.PointsDiscount, ValuePerPoint: 0.00001m, MinPoints: 100), "valuePerPoint" },
        { new("x", RewardKind.PointsDiscount, ValuePerPoint: 0.05m, MinPoints: 0), "minPoints" },
        { new("x", RewardKind.PointsDiscount, ValuePerPoint: 0.05m, MinPoints: 100, MaxPoints: 99), "maxPoints" },
        { new("x", RewardKind.PointsDiscount, PointsCost: 5, ValuePerPoint: 0.05m, MinPoints: 100), "pointsCost" },
        { new("x", RewardKind.FixedAmountCoupon, 100, 5m, CodePrefix: null!), "codePrefix" },
        { new("x", RewardKind.PointsDiscount, ValuePerPoint: 0.001m, MinPoints: 9), "minPoints" }, // 0.009: a coupon under a cent
    };

    [Theory, MemberData(nameof(Invalid))]
    public void An_invalid_definition_names_the_field(RewardDefinition definition, string field)
    {
        var ex = Assert.Throws<InvalidInputException>(() => RewardRules.Validate(definition));
        Assert.Equal((ErrorCodes.InvalidInput, field), (ex.Code, ex.Field));
    }

    [Fact]
    public void Valid_definitions_of_every_kind_pass()
    {
        RewardRules.Validate(new("5 off", RewardKind.FixedAmountCoupon, 500, 5m));
        RewardRules.Validate(new("10%", RewardKind.PercentageCoupon, 800, 10m, ValidityDays: 90));
        RewardRules.Validate(new("Ship", RewardKind.FreeShipping, 300));
        RewardRules.Validate(new("Points", RewardKind.PointsDiscount, ValuePerPoint: 0.05m, MinPoints: 1000, MaxPoints: 5000, CodePrefix: "POINTS"));
    }

    [Fact]
    public void A_fixed_reward_costs_its_points_and_refuses_another_number()
    {
        var reward = From(new("5 off", RewardKind.FixedAmountCoupon, 500, 5m));

        Assert.Equal(new RewardQuote(500, 5m), RewardRules.Quote(reward, null));
        Assert.Equal(new RewardQuote(500, 5m), RewardRules.Quote(reward, 500));
        Assert.Equal("points", Assert.Throws<InvalidInputException>(() => RewardRules.Quote(reward, 400)).Field);
    }

    [Theory]
    [InlineData(null, 1000, 50.00)]    // default: the minimum
    [InlineData(1234L, 1234, 61.70)]
    [InlineData(1001L, 1001, 50.05)]
    [InlineData(5000L, 5000, 250.00)]
    public void A_points_discount_converts_the_chosen_points_at_the_value_per_point(long? requested, long points, double value)
    {
        var reward = From(new("Points", RewardKind.PointsDiscount, ValuePerPoint: 0.05m, MinPoints: 1000, MaxPoints: 5000));

        Assert.Equal(new RewardQuote(points, (decimal)value), RewardRules.Quote(reward, requested));
    }

    [Fact]
    public void A_points_discount_rounds_the_value_down_to_the_cent_and_enforces_its_bounds()
    {
        var reward = From(new("Points", RewardKind.PointsDiscount, ValuePerPoint: 0.0333m, MinPoints: 10, MaxPoints: 100));

        Assert.Equal(0.36m, RewardRules.Quote(reward, 11).Value); // 0.3663
        Assert.Equal("points", Assert.Throws<InvalidInputException>(() => RewardRules.Quote(reward, 9)).Field);
        Assert.Equal("points", Assert.Throws<InvalidInputException>(() => RewardRules.Quote(reward, 101)).Field);
    }

    [Fact]
    public void Codes_carry_the_prefix_and_eight_unambiguous_random_characters()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => RewardRules.NewCode("POINTS")).ToList();

        Assert.All(codes, c => Assert.Matches("^POINTS-[A-HJKMNP-Z2-9]{8}$", c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Fact]
    public void The_cheapest_cost_is_the_points_cost_or_the_minimum_of_a_points_discount()
    {
        Assert.Equal(500, RewardRules.CheapestCost(From(new("5 off", RewardKind.FixedAmountCoupon, 500, 5m))));
        Assert.Equal(1000, RewardRules.CheapestCost(From(new("Points", RewardKind.PointsDiscount, ValuePerPoint: 0.05m, MinPoints: 1000))));
    }
}
