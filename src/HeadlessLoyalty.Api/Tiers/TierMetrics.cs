using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Points;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>
/// The metric's contributions of some members, read in one query. Spend: every recorded purchase (any channel, pending
/// or completed) at its order date, net of what was refunded. Points earned: approved credits at their date, as
/// lifetime points count them (earned, bonus and positive adjustments; a refund's reversal debit counts negative).
/// </summary>
public static class TierMetrics
{
    public static async Task<ILookup<Guid, MetricPoint>> LoadAsync(
        LoyaltyDbContext db, TierMetric metric, IReadOnlyCollection<Guid> memberIds, DateTimeOffset from, DateTimeOffset? before, CancellationToken ct)
    {
        if (metric == TierMetric.Spend)
        {
            var purchases = db.Purchases.AsNoTracking().Where(p => memberIds.Contains(p.MemberId) && p.OccurredAt >= from);
            if (before is { } end)
                purchases = purchases.Where(p => p.OccurredAt < end);
            // Decimal arithmetic stays in .NET: SQLite has no decimal type.
            var rows = await purchases.Select(p => new { p.MemberId, p.OccurredAt, p.Amount, p.RefundedAmount }).ToListAsync(ct);
            return rows.ToLookup(r => r.MemberId, r => new MetricPoint(r.OccurredAt, r.Amount - r.RefundedAmount));
        }
        var entries = db.LedgerEntries.AsNoTracking().Where(e => memberIds.Contains(e.MemberId) && e.Status == LedgerEntryStatus.Approved
            && e.OccurredAt >= from
            && ((e.Points > 0 && e.Kind != LedgerEntryKind.Reversal) || (e.Points < 0 && e.Kind == LedgerEntryKind.Reversal)));
        if (before is { } until)
            entries = entries.Where(e => e.OccurredAt < until);
        var points = await entries.Select(e => new { e.MemberId, e.OccurredAt, e.Points }).ToListAsync(ct);
        return points.ToLookup(r => r.MemberId, r => new MetricPoint(r.OccurredAt, r.Points));
    }
}
