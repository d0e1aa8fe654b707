using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Purchases;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>
/// A member's tier as the write path and the readers see it: the upgrade staged in the transaction of the change that
/// crossed a threshold, the earning multiplier of the tier held, and tier statuses for a page of members.
/// </summary>
public static class TierMembership
{
    public const string Actor = "system:tiers";

    /// <summary>
    /// Inside the caller's <c>WriteTransaction</c> attempt, after it staged a change of <paramref name="metric"/> for
    /// the member (a purchase, approved points): when the program qualifies on that metric and the period's total now
    /// reaches a higher tier, the member holds it from now (its term starts), and <c>tier.achieved</c> is staged. The
    /// attempt's changes are saved first (same transaction) so the total includes them. Nothing drops here: a refund
    /// lowers the total, and the period end decides.
    /// </summary>
    public static async Task StageQualifyingChangeAsync(LoyaltyDbContext db, TimeProvider clock, Guid memberId, TierMetric metric, CancellationToken ct)
    {
        var ordered = TierRules.Ordered(await db.Tiers.AsNoTracking().ToListAsync(ct));
        if (ordered.Count == 0)
            return;
        var policy = await TierOperations.GetPolicyAsync(db, ct);
        if (policy.Metric != metric)
            return;
        await db.SaveChangesAsync(ct);

        var now = clock.GetUtcNow();
        var member = await MemberQueries.GetAsync(db, memberId, ct);
        var zone = ActivityRules.Zone((await db.CurrentProgramAsync(ct)).TimeZone);
        var window = TierPeriods.ProgressWindow(policy.Period, now, member.EnrolledAt, zone);
        var progress = TierProgress.Sum((await TierMetrics.LoadAsync(db, metric, [memberId], window.Start, null, ct))[memberId], window.Start);
        var row = await db.MemberTiers.FirstOrDefaultAsync(m => m.MemberId == memberId, ct);
        StageUpgrade(db, row, member, ordered, policy, zone, progress, now);
    }

    /// <summary>
    /// When <paramref name="progress"/> (the metric of the period running at <paramref name="now"/>) reaches a tier
    /// above the one held, the member holds it from now (the row is added when missing; its term starts now) and
    /// <c>tier.achieved</c> is staged. Returns whether it upgraded.
    /// </summary>
    internal static bool StageUpgrade(
        LoyaltyDbContext db, MemberTier? row, Member member, IReadOnlyList<Tier> ordered, TierPolicy policy, TimeZoneInfo zone, decimal progress, DateTimeOffset now)
    {
        var current = TierRules.Held(ordered, row?.TierId);
        var next = TierRules.AfterQualifyingChange(ordered, current, progress);
        if (TierRules.Position(ordered, next) <= TierRules.Position(ordered, current))
            return false;
        if (row is null)
            db.MemberTiers.Add(row = new MemberTier { MemberId = member.Id });
        Hold(row, ordered, next, now, TierPeriods.TermFrom(policy.Period, now, member.EnrolledAt, zone));
        DomainEvents.Stage(db, EventTypes.TierAchieved, member.Id, new TierChangedPayload(
            member.Id, member.Email, next!.Id, next.Name, current?.Name, policy.Metric.ToString(), progress, row.ExpiresAt), now, now);
        return true;
    }

    /// <summary>Sets the row to <paramref name="tier"/> from <paramref name="at"/>: the entry tier has no term; a new tier's achieved-at is <paramref name="at"/>.</summary>
    internal static void Hold(MemberTier row, IReadOnlyList<Tier> ordered, Tier? tier, DateTimeOffset at, TierWindow term)
    {
        var entry = TierRules.Entry(ordered);
        var tierId = tier is null || tier.Id == entry?.Id ? null : (Guid?)tier.Id;
        if (row.TierId != tierId)
            row.AchievedAt = at;
        row.TierId = tierId;
        row.PeriodStart = tierId is null ? null : term.Start;
        row.ExpiresAt = tierId is null ? null : term.End;
        row.Version++;
    }

    /// <summary>The multiplier of the tier the member holds on <paramref name="channel"/> (1 without tiers; below 1 is never applied).</summary>
    public static async Task<decimal> MultiplierAsync(LoyaltyDbContext db, Guid memberId, PurchaseChannel channel, CancellationToken ct)
    {
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(ct);
        if (tiers.Count == 0)
            return 1m;
        var tierId = await db.MemberTiers.AsNoTracking().Where(m => m.MemberId == memberId).Select(m => m.TierId).FirstOrDefaultAsync(ct);
        return TierRules.Held(TierRules.Ordered(tiers), tierId)?.MultiplierFor(channel) is { } m && m > 1 ? m : 1m;
    }

    /// <summary>The members holding <paramref name="tier"/> (the entry tier: every member without a tier above it), as a subquery for member lists.</summary>
    public static IQueryable<Guid> HoldersOf(LoyaltyDbContext db, IReadOnlyList<Tier> ordered, Tier tier)
    {
        if (tier.Id == TierRules.Entry(ordered)?.Id)
        {
            var above = db.MemberTiers.Where(m => m.TierId != null).Select(m => m.MemberId);
            return db.Members.Where(m => !above.Contains(m.Id)).Select(m => m.Id);
        }
        return db.MemberTiers.Where(m => m.TierId == tier.Id).Select(m => m.MemberId);
    }

    /// <summary>The tier status of each member: five queries (program, policy, tiers, rows, metric) for any number of members.</summary>
    public static async Task<Dictionary<Guid, TierStatus>> StatusesAsync(
        LoyaltyDbContext db, TimeProvider clock, IReadOnlyCollection<(Guid Id, DateTimeOffset EnrolledAt)> members, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var zone = ActivityRules.Zone((await db.CurrentProgramAsync(ct)).TimeZone);
        var policy = await TierOperations.GetPolicyAsync(db, ct);
        var ordered = TierRules.Ordered(await db.Tiers.AsNoTracking().ToListAsync(ct));
        var ids = members.Select(m => m.Id).Distinct().ToList();
        var rows = await db.MemberTiers.AsNoTracking().Where(m => ids.Contains(m.MemberId)).ToDictionaryAsync(m => m.MemberId, ct);
        // One read from the earliest instant any member's status looks at.
        var from = members.Select(m => TierPeriods.ProgressWindow(policy.Period, now, m.EnrolledAt, zone).Start)
            .Concat(rows.Values.Where(r => r.PeriodStart is not null).Select(r => r.PeriodStart!.Value))
            .DefaultIfEmpty(now).Min();
        var points = await TierMetrics.LoadAsync(db, policy.Metric, ids, from, null, ct);
        var statuses = new Dictionary<Guid, TierStatus>();
        foreach (var (id, enrolledAt) in members)
            statuses[id] = TierProgress.Status(policy, ordered, rows.GetValueOrDefault(id)?.ToHolding(), enrolledAt, now, zone, points[id].ToList());
        return statuses;
    }
}
