using System.Globalization;
using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>
/// The tier run for one program (the tenant of the context). First, every membership whose period has ended gets the
/// program's period-end policy (<see cref="TierRules.AtPeriodEnd"/>) with the metric of that period, and the next
/// period starts (a run that comes late catches up period by period, and what the member reached in the period
/// running now counts too); <c>tier.achieved</c>, <c>tier.downgraded</c> or <c>tier.reset</c> is staged for the net change. Then members whose tier would drop if its period ended now get
/// <c>tier.reset_in_4_weeks</c>, <c>_2_weeks</c> or <c>_1_day</c>, once per (member, period, warning)
/// (<see cref="MemberNotice"/>). Members are handled in batches of <see cref="BatchSize"/>, one transaction and a
/// handful of queries per batch. Idempotent: ended periods are moved on and notices are marked, so a rerun emits nothing.
/// </summary>
public static class TierEvaluation
{
    public const int BatchSize = 200;

    public static async Task<int> RunAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var ordered = TierRules.Ordered(await db.Tiers.AsNoTracking().ToListAsync(ct));
        var policy = await TierOperations.GetPolicyAsync(db, ct);
        var zone = ActivityRules.Zone((await db.CurrentProgramAsync(ct)).TimeZone);
        var done = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var due = await db.MemberTiers.AsNoTracking().Where(m => m.ExpiresAt != null && m.ExpiresAt <= now)
                .OrderBy(m => m.MemberId).Select(m => m.MemberId).Take(BatchSize).ToListAsync(ct);
            if (due.Count == 0)
                break;
            done += await WriteTransaction.RunAsync(db, token => EndPeriodsAsync(db, policy, ordered, zone, due, now, token), ct);
        }
        done += await SweepAsync(db, clock, policy, ordered, zone, ct);
        return done + await WarnAsync(db, clock, policy, ordered, ct);
    }

    /// <summary>
    /// After a change of the policy or of a tier definition (a new tier, a lower threshold), every member whose metric
    /// in the period running now reaches more than they hold is upgraded, as if they had just bought; once per change
    /// (the policy row records which change was swept). Members are read in batches; blocked members are left alone.
    /// </summary>
    private static async Task<int> SweepAsync(LoyaltyDbContext db, TimeProvider clock, TierPolicy policy, IReadOnlyList<Tier> ordered, TimeZoneInfo zone, CancellationToken ct)
    {
        var marks = await db.TierPolicies.AsNoTracking().Select(p => new { p.DefinitionsVersion, p.SweptVersion }).FirstOrDefaultAsync(ct);
        if (marks is null || marks.SweptVersion >= marks.DefinitionsVersion)
            return 0;
        var upgraded = 0;
        for (var skip = 0; ordered.Count > 0; skip += BatchSize)
        {
            var now = clock.GetUtcNow();
            var ids = await db.Members.AsNoTracking().Where(m => m.Status != MemberStatus.Blocked)
                .OrderBy(m => m.Id).Skip(skip).Take(BatchSize).Select(m => m.Id).ToListAsync(ct);
            if (ids.Count == 0)
                break;
            upgraded += await WriteTransaction.RunAsync(db, async token =>
            {
                var members = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(token);
                var rows = await db.MemberTiers.Where(m => ids.Contains(m.MemberId)).ToDictionaryAsync(m => m.MemberId, token);
                var from = members.Min(m => TierPeriods.ProgressWindow(policy.Period, now, m.EnrolledAt, zone).Start);
                var points = await TierMetrics.LoadAsync(db, policy.Metric, ids, from, null, token);
                var count = 0;
                foreach (var m in members)
                {
                    var progress = TierProgress.Sum(points[m.Id], TierPeriods.ProgressWindow(policy.Period, now, m.EnrolledAt, zone).Start);
                    if (TierMembership.StageUpgrade(db, rows.GetValueOrDefault(m.Id), m, ordered, policy, zone, progress, now))
                        count++;
                }
                return count;
            }, ct);
        }
        // A change made while this ran has a higher version: the next run sweeps again.
        await db.TierPolicies.ExecuteUpdateAsync(s => s.SetProperty(p => p.SweptVersion, marks.DefinitionsVersion), ct);
        return upgraded;
    }

    private static async Task<int> EndPeriodsAsync(
        LoyaltyDbContext db, TierPolicy policy, IReadOnlyList<Tier> ordered, TimeZoneInfo zone, IReadOnlyList<Guid> ids, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await db.MemberTiers.Where(m => ids.Contains(m.MemberId) && m.ExpiresAt != null && m.ExpiresAt <= now).ToListAsync(ct);
        if (rows.Count == 0)
            return 0;
        var members = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var from = rows.Min(r => r.PeriodStart ?? r.ExpiresAt!.Value);
        var points = await TierMetrics.LoadAsync(db, policy.Metric, ids, from, null, ct);
        var changes = 0;
        foreach (var row in rows)
        {
            var member = members[row.MemberId];
            var memberPoints = points[row.MemberId].ToList();
            var before = TierRules.Held(ordered, row.TierId);
            var (decidedAt, decidedBy) = (now, 0m);
            // A late run catches up one period at a time; each period ends with its own metric.
            while (row.ExpiresAt is { } end && end <= now)
            {
                var current = TierRules.Held(ordered, row.TierId);
                var progress = TierProgress.Sum(memberPoints, row.PeriodStart ?? end, end);
                var next = TierRules.AtPeriodEnd(ordered, current, progress, policy.PeriodEnd);
                TierMembership.Hold(row, ordered, next, end, TierPeriods.TermFrom(policy.Period, end, member.EnrolledAt, zone));
                (decidedAt, decidedBy) = (end, progress);
            }
            // What the member already reached in the period running now counts as if they had bought just now (a
            // purchase between the period's end and this run found the old tier still held and changed nothing).
            var held = TierRules.Held(ordered, row.TierId);
            var sofar = TierProgress.Sum(memberPoints, TierPeriods.ProgressWindow(policy.Period, now, member.EnrolledAt, zone).Start);
            if (TierRules.AfterQualifyingChange(ordered, held, sofar) is var reached && TierRules.Position(ordered, reached) > TierRules.Position(ordered, held))
            {
                TierMembership.Hold(row, ordered, reached, now, TierPeriods.TermFrom(policy.Period, now, member.EnrolledAt, zone));
                (decidedAt, decidedBy) = (now, sofar);
            }
            // One event for the net change: a catch-up over several periods does not flap.
            var after = TierRules.Held(ordered, row.TierId);
            var type = TierRules.Classify(ordered, before, after, policy.PeriodEnd) switch
            {
                TierChange.Achieved => EventTypes.TierAchieved,
                TierChange.Reset => EventTypes.TierReset,
                TierChange.Downgraded => EventTypes.TierDowngraded,
                _ => null,
            };
            if (type is null)
                continue;
            DomainEvents.Stage(db, type, member.Id, new TierChangedPayload(
                member.Id, member.Email, after?.Id, after?.Name, before?.Name, policy.Metric.ToString(), decidedBy, row.ExpiresAt), decidedAt, now);
            changes++;
        }
        return changes;
    }

    private sealed record Candidate(Guid MemberId, Guid? TierId, DateTimeOffset? PeriodStart, DateTimeOffset ExpiresAt);

    private static async Task<int> WarnAsync(LoyaltyDbContext db, TimeProvider clock, TierPolicy policy, IReadOnlyList<Tier> ordered, CancellationToken ct)
    {
        if (policy.PeriodEnd == TierPeriodEnd.Retain || ordered.Count == 0)
            return 0;
        var now = clock.GetUtcNow();
        var horizon = now.AddDays(28);
        var candidates = await db.MemberTiers.AsNoTracking()
            .Where(m => m.TierId != null && m.ExpiresAt != null && m.ExpiresAt > now && m.ExpiresAt <= horizon)
            .Select(m => new Candidate(m.MemberId, m.TierId, m.PeriodStart, m.ExpiresAt!.Value)).ToListAsync(ct);
        var sent = 0;
        foreach (var batch in candidates.Chunk(BatchSize))
            sent += await WriteTransaction.RunAsync(db, token => WarnBatchAsync(db, policy, ordered, batch, now, token), ct);
        return sent;
    }

    private static async Task<int> WarnBatchAsync(
        LoyaltyDbContext db, TierPolicy policy, IReadOnlyList<Tier> ordered, IReadOnlyList<Candidate> batch, DateTimeOffset now, CancellationToken ct)
    {
        var ids = batch.Select(c => c.MemberId).ToList();
        var members = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id) && m.Status != MemberStatus.Blocked).ToDictionaryAsync(m => m.Id, ct);
        var kinds = new[] { EventTypes.TierResetIn4Weeks, EventTypes.TierResetIn2Weeks, EventTypes.TierResetIn1Day };
        var sentBefore = (await db.MemberNotices.AsNoTracking().Where(n => ids.Contains(n.MemberId) && kinds.Contains(n.Kind))
            .Select(n => new { n.MemberId, n.Kind, n.Key }).ToListAsync(ct)).Select(n => (n.MemberId, n.Kind, n.Key)).ToHashSet();
        var from = batch.Min(c => c.PeriodStart ?? now);
        var points = await TierMetrics.LoadAsync(db, policy.Metric, ids, from, null, ct);
        var sent = 0;
        foreach (var c in batch)
        {
            if (!members.TryGetValue(c.MemberId, out var member) || TierProgress.WarningDue(c.ExpiresAt, now) is not { } kind)
                continue;
            var key = PeriodKey(c.ExpiresAt);
            if (sentBefore.Contains((c.MemberId, kind, key)))
                continue;
            var current = TierRules.Held(ordered, c.TierId);
            var progress = TierProgress.Sum(points[c.MemberId], c.PeriodStart ?? now);
            var after = TierRules.AtPeriodEnd(ordered, current, progress, policy.PeriodEnd);
            if (current is null || TierRules.Position(ordered, after) >= TierRules.Position(ordered, current))
                continue;
            db.MemberNotices.Add(new MemberNotice { Id = Guid.CreateVersion7(now), MemberId = c.MemberId, Kind = kind, Key = key, RecordedAt = now });
            DomainEvents.Stage(db, kind, c.MemberId, new TierResetWarningPayload(
                c.MemberId, member.Email, current.Name, after?.Name, c.ExpiresAt, policy.Metric.ToString(), progress,
                Math.Max(0, current.Threshold - progress), policy.PeriodEnd.ToString()), now, now);
            sent++;
        }
        return sent;
    }

    /// <summary>The period a warning is for: its end, to the second (UTC).</summary>
    internal static string PeriodKey(DateTimeOffset expiresAt) => expiresAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
