using FsCheck.Xunit;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Tests.Expiry;

/// <summary>
/// The lot rules under random histories, on a pure model of one member built from the real rules (<see cref="Ledger"/>,
/// <see cref="LotRules"/>, <see cref="ExpiryRules"/>) the way the write path and the expiry run use them.
/// </summary>
public sealed class ExpiryPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Each int is one step: its low 3 bits pick earn / redeem / expire (the clock moves up to ~13 months) / refund
    /// (a floored reversal, as PurchaseOperations does) / adjust up / adjust down (sometimes with allowNegative), the
    /// rest the amount. After every step: balance = fold of the entries, no lot below zero, the lots hold exactly the
    /// spendable points, each lot's points are accounted for, and consumption is first-in-first-out.
    /// </summary>
    [Property(MaxTest = 400)]
    public bool Any_history_keeps_the_balance_the_fold_of_its_entries_and_the_lots_consumed_in_order(int[] steps)
    {
        var model = new Model();
        foreach (var step in steps)
        {
            var amount = (long)((uint)step >> 4) % 400 + 1;
            model.Now = model.Now.AddHours(((uint)step >> 3) % 50);
            switch (step & 7)
            {
                case 0 or 1: model.Credit(LedgerEntryKind.Earn, amount); break;
                case 2: model.Debit(LedgerEntryKind.Redeem, amount, allowNegative: false); break;
                case 3: model.ExpireDue(TimeSpan.FromDays(amount)); break;
                case 4: model.Refund(amount); break;
                case 5: model.Credit(LedgerEntryKind.Adjustment, amount); break;
                case 6 or 7: model.Debit(LedgerEntryKind.Adjustment, amount, allowNegative: (step & 8) != 0); break;
            }
            if (!model.Holds())
                return false;
        }
        return true;
    }

    private sealed class Lot
    {
        public required Guid Id { get; init; }
        public required DateTimeOffset EarnedAt { get; init; }
        public required DateTimeOffset? ExpiresAt { get; init; }
        public required long Points { get; init; }
        public required long DebtRepaid { get; init; }
        public long Remaining { get; set; }
        public long Taken { get; set; }
    }

    private sealed class Model
    {
        private readonly List<LedgerEntry> _entries = [];
        private readonly List<Lot> _lots = [];
        private BalanceState _state = BalanceState.Empty(T0);
        private int _ids;

        public DateTimeOffset Now { get; set; } = T0;

        public void Credit(LedgerEntryKind kind, long points)
        {
            var before = _state.Approved;
            _state = Ledger.Apply(_state, kind, points, LedgerEntryStatus.Approved, false, Now);
            Append(kind, points);
            var spendable = LotRules.SpendableOfCredit(before, points);
            _lots.Add(new Lot
            {
                Id = NextId(), EarnedAt = Now, ExpiresAt = ExpiryRules.LotExpiresAt(Now, 12, TimeZoneInfo.Utc),
                Points = points, DebtRepaid = points - spendable, Remaining = spendable,
            });
        }

        /// <summary>Returns the points the lots covered (0 when refused).</summary>
        public long Debit(LedgerEntryKind kind, long points, bool allowNegative)
        {
            try
            {
                _state = Ledger.Apply(_state, kind, -points, LedgerEntryStatus.Approved, allowNegative, Now);
            }
            catch (InsufficientPointsException)
            {
                return 0;
            }
            Append(kind, -points);
            var allocation = LotRules.Allocate(_lots.Select(l => new LotState(l.Id, l.EarnedAt, l.Remaining)), points);
            foreach (var take in allocation.Takes)
                Take(_lots.Single(l => l.Id == take.LotId), take.Points);
            return points - allocation.Uncovered;
        }

        /// <summary>What the expiry run does: every lot whose date has come lapses, in one Expire entry.</summary>
        public void ExpireDue(TimeSpan later)
        {
            Now += later;
            var due = _lots.Where(l => l.Remaining > 0 && l.ExpiresAt <= Now).ToList();
            var total = due.Sum(l => l.Remaining);
            if (total == 0)
                return;
            _state = Ledger.Apply(_state, LedgerEntryKind.Expire, -total, LedgerEntryStatus.Approved, false, Now);
            Append(LedgerEntryKind.Expire, -total);
            foreach (var lot in due)
                Take(lot, lot.Remaining);
        }

        /// <summary>A refund taking back more than is left: the full deduction, then a credit flooring the balance at zero.</summary>
        public void Refund(long points)
        {
            var covered = Math.Min(points, Math.Max(_state.Approved, 0));
            Debit(LedgerEntryKind.Reversal, points, allowNegative: true);
            if (points - covered > 0)
                Credit(LedgerEntryKind.Reversal, points - covered);
        }

        public bool Holds()
        {
            if (_state with { LastUpdatedAt = default } != Ledger.Fold(_entries))
                return false;
            if (_lots.Any(l => l.Remaining < 0 || l.Points != l.DebtRepaid + l.Taken + l.Remaining))
                return false;
            if (_lots.Sum(l => l.Remaining) != Math.Max(_state.Approved, 0))
                return false;
            // First in, first out: a lot something was taken from has no older lot with points left.
            var ordered = _lots.OrderBy(l => l.EarnedAt).ThenBy(l => l.Id).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                if (ordered[i].Taken > 0 && ordered.Take(i).Any(older => older.Remaining > 0))
                    return false;
            }
            return true;
        }

        private static void Take(Lot lot, long points)
        {
            lot.Remaining -= points;
            lot.Taken += points;
        }

        private void Append(LedgerEntryKind kind, long points) => _entries.Add(new LedgerEntry
        {
            Id = NextId(), MemberId = Guid.Empty, Kind = kind, Status = LedgerEntryStatus.Approved, Points = points, Actor = "t", OccurredAt = Now, RecordedAt = Now,
        });

        private Guid NextId() => new(++_ids, 0, 0, new byte[8]);
    }
}
