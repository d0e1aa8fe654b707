using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Tests.Points;

public sealed class RewardEligibilityTests
{
    [Theory]
    [InlineData(0, 100, 100, true)]    // reaches the cost exactly
    [InlineData(99, 250, 100, true)]
    [InlineData(0, 99, 100, false)]    // still below
    [InlineData(100, 150, 100, false)] // was already there
    [InlineData(150, 80, 100, false)]  // drops below
    [InlineData(-50, 100, 100, true)]  // an overdraft paid back and beyond
    public void Only_a_change_from_below_the_cost_to_at_least_the_cost_is_a_crossing(long before, long after, long cost, bool crossed) =>
        Assert.Equal(crossed, RewardEligibility.Crossed(before, after, cost));

    [Fact]
    public void Up_down_and_up_again_is_two_crossings()
    {
        long[] balances = [0, 60, 120, 180, 40, 90, 130, 130];
        var crossings = balances.Zip(balances.Skip(1)).Count(p => RewardEligibility.Crossed(p.First, p.Second, 100));
        Assert.Equal(2, crossings);
    }
}
