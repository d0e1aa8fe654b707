namespace HeadlessLoyalty.Api.Points;

/// <summary>One lot as the FIFO rule sees it.</summary>
public readonly record struct LotState(Guid Id, DateTimeOffset EarnedAt, long Remaining);

/// <summary>Points a debit takes from one lot.</summary>
public readonly record struct LotTake(Guid LotId, long Points);

/// <summary>A debit's allocation: the takes in FIFO order, and what no lot covered (it becomes debt).</summary>
public sealed record Allocation(IReadOnlyList<LotTake> Takes, long Uncovered);

/// <summary>
/// The pure lot rules. A debit takes from the oldest lots first (earned-at, then id, so ties have one order).
/// Debt: an admin debit with <c>allowNegative</c> (or a refund that takes back more than is left) may take more than
/// the lots hold; the lots go to zero and the rest is debt, i.e. a negative approved balance. The next credits repay
/// the debt first: a lot is still made for each credit (its history stays complete), with only the part above the
/// debt spendable (<see cref="PointsLot.DebtRepaid"/> records the rest). So the remaining points of the lots always
/// equal max(approved, 0).
/// </summary>
public static class LotRules
{
    public static Allocation Allocate(IEnumerable<LotState> lots, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var takes = new List<LotTake>();
        var left = amount;
        foreach (var lot in lots.Where(l => l.Remaining > 0).OrderBy(l => l.EarnedAt).ThenBy(l => l.Id))
        {
            if (left == 0)
                break;
            var take = Math.Min(left, lot.Remaining);
            takes.Add(new LotTake(lot.Id, take));
            left -= take;
        }
        return new Allocation(takes, left);
    }

    /// <summary>How much of a new credit is spendable after repaying the debt of a balance at <paramref name="approvedBefore"/>.</summary>
    public static long SpendableOfCredit(long approvedBefore, long credit) => Math.Max(0, credit - Math.Max(0, -approvedBefore));
}
