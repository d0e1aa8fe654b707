using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Tests.Points;

public sealed class LotRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    [Fact]
    public void A_debit_takes_from_the_oldest_lot_first_whatever_order_the_lots_come_in()
    {
        var lots = new[] { new LotState(C, T0.AddDays(2), 50), new LotState(A, T0, 100), new LotState(B, T0.AddDays(1), 30) };

        var allocation = LotRules.Allocate(lots, 120);

        Assert.Equal([new LotTake(A, 100), new LotTake(B, 20)], allocation.Takes);
        Assert.Equal(0, allocation.Uncovered);
    }

    [Fact]
    public void Empty_lots_are_skipped_and_lots_earned_at_the_same_instant_go_by_id()
    {
        var lots = new[] { new LotState(B, T0, 10), new LotState(A, T0, 10), new LotState(C, T0.AddDays(-1), 0) };

        Assert.Equal([new LotTake(A, 10), new LotTake(B, 5)], LotRules.Allocate(lots, 15).Takes);
    }

    [Fact]
    public void What_the_lots_cannot_cover_is_left_uncovered_as_debt()
    {
        var allocation = LotRules.Allocate([new LotState(A, T0, 30)], 100);

        Assert.Equal([new LotTake(A, 30)], allocation.Takes);
        Assert.Equal(70, allocation.Uncovered);
    }

    [Fact]
    public void A_zero_debit_takes_nothing_and_a_negative_one_is_a_bug()
    {
        Assert.Empty(LotRules.Allocate([new LotState(A, T0, 30)], 0).Takes);
        Assert.Throws<ArgumentOutOfRangeException>(() => LotRules.Allocate([], -1));
    }

    [Theory]
    [InlineData(100, 50, 50)]   // no debt: all spendable
    [InlineData(0, 50, 50)]
    [InlineData(-20, 50, 30)]   // 20 repay the debt first
    [InlineData(-80, 50, 0)]    // all of it repays the debt
    public void A_credit_repays_debt_before_it_becomes_spendable(long approvedBefore, long credit, long spendable) =>
        Assert.Equal(spendable, LotRules.SpendableOfCredit(approvedBefore, credit));
}
