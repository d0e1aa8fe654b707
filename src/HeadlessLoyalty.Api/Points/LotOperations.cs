using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Expiry;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Points;

/// <summary>
/// Keeps a member's <see cref="PointsLot"/>s in step with their ledger inside the caller's write attempt (no save),
/// by the pure <see cref="LotRules"/>. Lots carry no concurrency token of their own: every lot change comes with a
/// change of the member's balance in the same transaction, whose <c>Version</c> makes a stale writer fail and retry.
/// </summary>
internal static class LotOperations
{
    /// <summary>An approved credit becomes a lot, spendable above the member's debt, dated by the policy in force now.</summary>
    public static async Task StageCreditAsync(LoyaltyDbContext db, LedgerEntry credit, long approvedBefore, DateTimeOffset now, CancellationToken ct)
    {
        db.PointsLots.Add(new PointsLot
        {
            Id = Guid.CreateVersion7(now),
            MemberId = credit.MemberId,
            EntryId = credit.Id,
            EarnedAt = now,
            ExpiresAt = await ExpiryOperations.NewLotExpiresAtAsync(db, now, ct),
            Points = credit.Points,
            DebtRepaid = credit.Points - LotRules.SpendableOfCredit(approvedBefore, credit.Points),
            Remaining = LotRules.SpendableOfCredit(approvedBefore, credit.Points),
        });
    }

    /// <summary>A debit takes from the oldest lots first and records each take; what no lot covers is debt (allowNegative).</summary>
    public static async Task StageDebitAsync(LoyaltyDbContext db, LedgerEntry debit, DateTimeOffset now, CancellationToken ct)
    {
        // Tracked: the lots this attempt already changed come back with their new Remaining; lots it added are not in
        // the database yet, so they come from the change tracker.
        var stored = await db.PointsLots.Where(l => l.MemberId == debit.MemberId && l.Remaining > 0).ToListAsync(ct);
        var lots = stored.Concat(db.PointsLots.Local.Where(l => l.MemberId == debit.MemberId && db.Entry(l).State == EntityState.Added))
            .Distinct().Where(l => l.Remaining > 0).ToDictionary(l => l.Id);
        var allocation = LotRules.Allocate(lots.Values.Select(l => new LotState(l.Id, l.EarnedAt, l.Remaining)), -debit.Points);
        foreach (var take in allocation.Takes)
        {
            lots[take.LotId].Remaining -= take.Points;
            db.LotAllocations.Add(new LotAllocation
            {
                Id = Guid.CreateVersion7(now),
                LotId = take.LotId,
                EntryId = debit.Id,
                MemberId = debit.MemberId,
                Points = take.Points,
                RecordedAt = now,
            });
        }
    }
}
