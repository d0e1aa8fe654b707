using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Tests.Points;

public sealed class LedgerRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddHours(1);

    private static BalanceState With(long approved = 0, long pending = 0) => BalanceState.Empty(T0) with { Approved = approved, Pending = pending, Lifetime = approved };

    [Fact]
    public void An_approved_credit_is_spendable_and_counts_toward_lifetime()
    {
        var b = Ledger.Apply(With(10), LedgerEntryKind.Earn, 50, LedgerEntryStatus.Approved, false, T1);
        Assert.Equal(new BalanceState(60, 0, 0, 0, 60, T1), b);
    }

    [Fact]
    public void A_pending_credit_is_neither_spendable_nor_lifetime()
    {
        var b = Ledger.Apply(With(10), LedgerEntryKind.Earn, 50, LedgerEntryStatus.Pending, false, T1);
        Assert.Equal(new BalanceState(10, 50, 0, 0, 10, T1), b);
    }

    [Fact]
    public void Approving_a_pending_credit_moves_it_to_approved_and_lifetime()
    {
        var b = Ledger.Approve(With(10, pending: 50), 50, T1);
        Assert.Equal(new BalanceState(60, 0, 0, 0, 60, T1), b);
    }

    [Fact]
    public void Cancelling_a_pending_credit_drops_it()
    {
        var b = Ledger.Cancel(With(10, pending: 50), 50, T1);
        Assert.Equal(new BalanceState(10, 0, 0, 0, 10, T1), b);
    }

    [Fact]
    public void A_redemption_debits_approved_and_adds_to_spent()
    {
        var b = Ledger.Apply(With(100), LedgerEntryKind.Redeem, -30, LedgerEntryStatus.Approved, false, T1);
        Assert.Equal(new BalanceState(70, 0, 30, 0, 100, T1), b);
    }

    [Fact]
    public void An_expiry_debits_approved_and_adds_to_expired()
    {
        var b = Ledger.Apply(With(100), LedgerEntryKind.Expire, -100, LedgerEntryStatus.Approved, false, T1);
        Assert.Equal(new BalanceState(0, 0, 0, 100, 100, T1), b);
    }

    [Fact]
    public void A_negative_adjustment_debits_approved_only()
    {
        var b = Ledger.Apply(With(100), LedgerEntryKind.Adjustment, -40, LedgerEntryStatus.Approved, false, T1);
        Assert.Equal(new BalanceState(60, 0, 0, 0, 100, T1), b);
    }

    [Fact]
    public void A_debit_beyond_approved_points_is_refused_even_with_pending_points()
    {
        var ex = Assert.Throws<InsufficientPointsException>(() =>
            Ledger.Apply(With(10, pending: 1000), LedgerEntryKind.Redeem, -11, LedgerEntryStatus.Approved, false, T1));
        Assert.Equal("INSUFFICIENT_POINTS", ex.Code);
        Assert.Equal("points", ex.Field);
    }

    [Fact]
    public void A_debit_of_exactly_the_approved_points_is_allowed()
    {
        var b = Ledger.Apply(With(10), LedgerEntryKind.Redeem, -10, LedgerEntryStatus.Approved, false, T1);
        Assert.Equal(0, b.Approved);
    }

    [Fact]
    public void An_admin_override_lets_approved_go_negative()
    {
        var b = Ledger.Apply(With(10), LedgerEntryKind.Adjustment, -25, LedgerEntryStatus.Approved, allowNegative: true, T1);
        Assert.Equal(-15, b.Approved);
        var repaid = Ledger.Apply(b, LedgerEntryKind.Earn, 20, LedgerEntryStatus.Approved, false, T1);
        Assert.Equal(5, repaid.Approved);
    }

    [Theory]
    [InlineData(LedgerEntryKind.Adjustment, 0L, LedgerEntryStatus.Approved, "points")]
    [InlineData(LedgerEntryKind.Adjustment, Ledger.MaxPointsPerEntry + 1, LedgerEntryStatus.Approved, "points")]
    [InlineData(LedgerEntryKind.Adjustment, -Ledger.MaxPointsPerEntry - 1, LedgerEntryStatus.Approved, "points")]
    [InlineData(LedgerEntryKind.Redeem, 5L, LedgerEntryStatus.Approved, "points")]
    [InlineData(LedgerEntryKind.Expire, 5L, LedgerEntryStatus.Approved, "points")]
    [InlineData(LedgerEntryKind.Earn, -5L, LedgerEntryStatus.Approved, "points")]
    [InlineData(LedgerEntryKind.Adjustment, -5L, LedgerEntryStatus.Pending, "status")]
    [InlineData(LedgerEntryKind.Earn, 5L, LedgerEntryStatus.Cancelled, "status")]
    public void Malformed_entries_are_invalid_input(LedgerEntryKind kind, long points, LedgerEntryStatus status, string field)
    {
        var ex = Assert.Throws<InvalidInputException>(() => Ledger.Validate(kind, points, status, "why"));
        Assert.Equal(("INVALID_INPUT", field), (ex.Code, ex.Field));
    }

    [Fact]
    public void Bounds_are_inclusive()
    {
        Ledger.Validate(LedgerEntryKind.Adjustment, Ledger.MaxPointsPerEntry, LedgerEntryStatus.Approved, null);
        Ledger.Validate(LedgerEntryKind.Adjustment, -Ledger.MaxPointsPerEntry, LedgerEntryStatus.Approved, null);
    }

    [Fact]
    public void A_reason_longer_than_500_characters_is_invalid()
    {
        Ledger.Validate(LedgerEntryKind.Adjustment, 1, LedgerEntryStatus.Approved, new string('x', 500));
        var ex = Assert.Throws<InvalidInputException>(() => Ledger.Validate(LedgerEntryKind.Adjustment, 1, LedgerEntryStatus.Approved, new string('x', 501)));
        Assert.Equal("reason", ex.Field);
    }

    [Fact]
    public void Fold_ignores_cancelled_entries_and_counts_pending_separately()
    {
        LedgerEntry E(LedgerEntryKind k, long p, LedgerEntryStatus s) => new()
        {
            Id = Guid.NewGuid(), MemberId = Guid.Empty, Kind = k, Status = s, Points = p, Actor = "t", OccurredAt = T0, RecordedAt = T0,
        };
        var b = Ledger.Fold([
            E(LedgerEntryKind.Earn, 100, LedgerEntryStatus.Approved),
            E(LedgerEntryKind.Earn, 40, LedgerEntryStatus.Pending),
            E(LedgerEntryKind.Earn, 999, LedgerEntryStatus.Cancelled),
            E(LedgerEntryKind.Redeem, -30, LedgerEntryStatus.Approved),
            E(LedgerEntryKind.Expire, -20, LedgerEntryStatus.Approved),
        ]);
        Assert.Equal(new BalanceState(50, 40, 30, 20, 100, default), b);
    }

    [Fact]
    public void Copying_a_state_to_the_row_bumps_its_version()
    {
        var row = new PointsBalance { MemberId = Guid.NewGuid(), Version = 7 };
        new BalanceState(1, 2, 3, 4, 5, T1).CopyTo(row);
        Assert.Equal((1L, 2L, 3L, 4L, 5L, T1, 8L), (row.Approved, row.Pending, row.Spent, row.Expired, row.Lifetime, row.LastUpdatedAt, row.Version));
    }
}
