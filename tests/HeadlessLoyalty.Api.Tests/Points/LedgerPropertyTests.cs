using FsCheck.Xunit;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Tests.Points;

public sealed class LedgerPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Each int drives one step: its low 3 bits pick credit / pending credit / redeem / expire / override debit /
    /// approve / cancel, the rest the amount. After every step the balance equals the fold of the entries, and
    /// approved is never negative unless an override debit happened.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Any_sequence_keeps_the_balance_equal_to_the_fold_of_its_entries(int[] steps)
    {
        var entries = new List<LedgerEntry>();
        var state = BalanceState.Empty(T0);
        var overridden = false;
        foreach (var step in steps)
        {
            var amount = (long)((uint)step >> 3) % 500 + 1;
            switch (step & 7)
            {
                case 0 or 1: state = Post(LedgerEntryKind.Earn, amount, LedgerEntryStatus.Approved, false); break;
                case 2: state = Post(LedgerEntryKind.Earn, amount, LedgerEntryStatus.Pending, false); break;
                case 3: state = Post(LedgerEntryKind.Redeem, -amount, LedgerEntryStatus.Approved, false); break;
                case 4: state = Post(LedgerEntryKind.Expire, -amount, LedgerEntryStatus.Approved, false); break;
                case 5:
                    overridden = true;
                    state = Post(LedgerEntryKind.Adjustment, -amount, LedgerEntryStatus.Approved, true);
                    break;
                case 6 or 7:
                    var pending = entries.FirstOrDefault(e => e.Status == LedgerEntryStatus.Pending);
                    if (pending is null) break;
                    var approve = (step & 7) == 6;
                    state = approve ? Ledger.Approve(state, pending.Points, T0) : Ledger.Cancel(state, pending.Points, T0);
                    pending.Status = approve ? LedgerEntryStatus.Approved : LedgerEntryStatus.Cancelled;
                    break;
            }
            if (state with { LastUpdatedAt = default } != Ledger.Fold(entries))
                return false;
            if (state.Approved < 0 && !overridden || state.Pending < 0 || state.Spent < 0 || state.Expired < 0)
                return false;
        }
        return true;

        BalanceState Post(LedgerEntryKind kind, long points, LedgerEntryStatus status, bool allowNegative)
        {
            BalanceState next;
            try
            {
                next = Ledger.Apply(state, kind, points, status, allowNegative, T0);
            }
            catch (InsufficientPointsException)
            {
                // Refused: only legitimate when it really would overdraw; nothing is appended.
                if (state.Approved + points >= 0) throw;
                return state;
            }
            entries.Add(new LedgerEntry
            {
                Id = Guid.NewGuid(), MemberId = Guid.Empty, Kind = kind, Status = status, Points = points,
                Actor = "prop", OccurredAt = T0, RecordedAt = T0,
            });
            return next;
        }
    }
}
