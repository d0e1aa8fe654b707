using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Segments;

public static class SegmentOperations
{
    public static Task<SegmentSettings> GetSettingsAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        db.SegmentRules.ReadOrDefaultAsync(r => r.ToSettings(), SegmentSettings.Default, ct);

    public static Task<SegmentSettings> UpdateSettingsAsync(LoyaltyDbContext db, TimeProvider clock, SegmentSettings settings, CancellationToken ct = default)
    {
        SegmentRules.Validate(settings);
        return WriteTransaction.RunAsync(db, async token =>
        {
            var row = await db.SegmentRules.TrackedOrNewAsync(() => new ProgramSegmentRules(), token);
            (row.LoyalMinPurchases, row.LoyalWindowDays, row.AtRiskAfterDays, row.WinBackAfterDays, row.UpdatedAt) =
                (settings.LoyalMinPurchases, settings.LoyalWindowDays, settings.AtRiskAfterDays, settings.WinBackAfterDays, clock.GetUtcNow());
            return settings;
        }, ct);
    }

    /// <summary>The segment of each member, from their purchases (two grouped queries for any number of members).</summary>
    public static async Task<Dictionary<Guid, Segment?>> SegmentsAsync(LoyaltyDbContext db, TimeProvider clock, IReadOnlyCollection<Guid> memberIds, CancellationToken ct = default) =>
        await SegmentsAsync(db, await GetSettingsAsync(db, ct), clock.GetUtcNow(), memberIds, ct);

    /// <summary>The same, under given thresholds at a given instant (the <c>segments</c> job holds both for its whole run).</summary>
    internal static async Task<Dictionary<Guid, Segment?>> SegmentsAsync(
        LoyaltyDbContext db, SegmentSettings settings, DateTimeOffset now, IReadOnlyCollection<Guid> memberIds, CancellationToken ct = default)
    {
        var windowStart = now.AddDays(-settings.LoyalWindowDays);
        // Fully refunded purchases were not really made.
        var kept = db.Purchases.AsNoTracking().Where(p => memberIds.Contains(p.MemberId) && p.RefundedAmount < p.Amount);
        var last = await kept.GroupBy(p => p.MemberId).Select(g => new { g.Key, Last = g.Max(p => p.OccurredAt) }).ToListAsync(ct);
        var recent = await kept.Where(p => p.OccurredAt >= windowStart).GroupBy(p => p.MemberId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var counts = recent.ToDictionary(x => x.Key, x => x.Count);
        var lasts = last.ToDictionary(x => x.Key, x => (DateTimeOffset?)x.Last);
        return memberIds.Distinct().ToDictionary(id => id, id => SegmentRules.Classify(
            new PurchaseActivity(counts.GetValueOrDefault(id), lasts.GetValueOrDefault(id)), now, settings));
    }
}
