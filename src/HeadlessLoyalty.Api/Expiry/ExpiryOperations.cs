using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Expiry;

/// <summary>A member's points that lapse at one instant.</summary>
public sealed record ExpiringPoints(long Points, DateTimeOffset At);

/// <summary>What lies ahead for a member's points: each lapse date with its points, soonest first.</summary>
public sealed record ExpiryOutlook(IReadOnlyList<ExpiringPoints> Lapses)
{
    public static ExpiryOutlook None { get; } = new([]);

    /// <summary>The nearest lapse; null when nothing will lapse.</summary>
    public ExpiringPoints? Next => Lapses.Count > 0 ? Lapses[0] : null;

    /// <summary>Points that lapse before <paramref name="until"/>.</summary>
    public long Within(DateTimeOffset until) => Lapses.Where(l => l.At <= until).Sum(l => l.Points);
}

/// <summary>
/// The expiry policy, the scheduled expiry run (expire, then warn) and the members' outlook. The run is idempotent:
/// an expired lot has nothing left to expire, and a warning is marked once per (member, lot date, threshold) in
/// <see cref="Events.MemberNotice"/>, so a rerun or a second instance expires and sends nothing twice.
/// </summary>
public static class ExpiryOperations
{
    public static Task<ExpirySettings> GetPolicyAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        db.ExpiryPolicies.ReadOrDefaultAsync(p => p.ToSettings(), ExpirySettings.Default, ct);

    /// <summary>Replaces the policy. Lots earned before keep their dates (see <see cref="ExpiryRules"/>).</summary>
    public static Task<ExpirySettings> UpdatePolicyAsync(LoyaltyDbContext db, TimeProvider clock, ExpirySettings settings, CancellationToken ct = default)
    {
        ExpiryRules.Validate(settings);
        return WriteTransaction.RunAsync(db, async token =>
        {
            var row = await db.ExpiryPolicies.TrackedOrNewAsync(() => new ProgramExpiryPolicy(), token);
            (row.LotValidityMonths, row.InactivityMonths, row.UpdatedAt) = (settings.LotValidityMonths, settings.InactivityMonths, clock.GetUtcNow());
            return settings;
        }, ct);
    }

    /// <summary>The date of a lot made now, by the policy in force (null: it never lapses by date).</summary>
    internal static async Task<DateTimeOffset?> NewLotExpiresAtAsync(LoyaltyDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var months = await db.ExpiryPolicies.AsNoTracking().Select(p => p.LotValidityMonths).FirstOrDefaultAsync(ct);
        if (months is null)
            return null;
        var program = await db.CurrentProgramAsync(ct);
        return ExpiryRules.LotExpiresAt(now, months, ActivityRules.Zone(program.TimeZone));
    }

    /// <summary>The expiry job for one program: expires what is due, then sends the warnings. Returns members expired plus warnings sent.</summary>
    public static async Task<int> RunAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default) =>
        await ExpireAsync(db, clock, ct) + await WarnAsync(db, clock, ct);

    /// <summary>Expires every due lot of the program in one transaction (set-based, <see cref="ExpirySql"/>). Returns the members whose points expired.</summary>
    public static async Task<int> ExpireAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var policy = await GetPolicyAsync(db, ct);
        var program = await db.CurrentProgramAsync(ct);
        var now = clock.GetUtcNow();
        DateTimeOffset? inactiveBefore = policy.InactivityMonths is { } months
            ? ExpiryRules.InactiveBefore(now, months, ActivityRules.Zone(program.TimeZone))
            : null;
        return await InTransactionAsync(db, token => ExpirySql.ExpireAsync(db, now, inactiveBefore, token), ct);
    }

    /// <summary>
    /// Sends the 30, 7 and 3 day warnings for lot dates ahead. Lots lapse at the start of a local day, so there are at
    /// most a few dozen dates in the next 30 days: one set-based statement per date, whatever the number of lots.
    /// </summary>
    public static async Task<int> WarnAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var program = await db.CurrentProgramAsync(ct);
        var zone = ActivityRules.Zone(program.TimeZone);
        var now = clock.GetUtcNow();
        var horizon = now.AddDays(ExpiryRules.Warnings[0].Days);
        var inactivity = (await GetPolicyAsync(db, ct)).InactivityMonths;
        var dates = await db.PointsLots.AsNoTracking()
            .Where(l => l.Remaining > 0 && l.ExpiresAt > now && l.ExpiresAt <= horizon)
            .Select(l => l.ExpiresAt!.Value).Distinct().ToListAsync(ct);
        return await InTransactionAsync(db, async token =>
        {
            var sent = 0;
            foreach (var date in dates.Order())
            {
                if (ExpiryRules.WarningFor(date, now) is not { } index)
                    continue;
                // The key is the last day the points can be used, in the program's zone: one notice per (member, date, threshold).
                var validThrough = ActivityRules.LocalDate(date, zone).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                var (days, kind) = ExpiryRules.Warnings[index];
                sent += await ExpirySql.WarnAsync(db, now, date, kind, validThrough, days, token);
            }
            if (inactivity is { } months)
                sent += await WarnInactiveAsync(db, now, zone, months, token);
            return sent;
        }, ct);
    }

    /// <summary>
    /// Warnings ahead of an inactivity lapse: for each local day in the next 30 days, the members whose deadline it is
    /// (a range of last-activity instants, <see cref="ExpiryRules.InactiveBefore"/>), all their open points. Members who
    /// never had qualifying activity lapse lot by lot and are warned by the lot dates only.
    /// </summary>
    private static async Task<int> WarnInactiveAsync(LoyaltyDbContext db, DateTimeOffset now, TimeZoneInfo zone, int months, CancellationToken ct)
    {
        var sent = 0;
        var day = ActivityRules.LocalDate(now, zone).AddDays(1);
        for (var at = ExpiryRules.StartOfDay(day, zone); at <= now.AddDays(ExpiryRules.Warnings[0].Days); day = day.AddDays(1), at = ExpiryRules.StartOfDay(day, zone))
        {
            if (ExpiryRules.WarningFor(at, now) is not { } index)
                continue;
            // Deadline exactly this day's start: last activity on or after the cutoff of the instant before, and before this one's.
            var lastFrom = ExpiryRules.InactiveBefore(at.AddTicks(-1), months, zone);
            var lastTo = ExpiryRules.InactiveBefore(at, months, zone);
            var validThrough = day.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var (days, kind) = ExpiryRules.Warnings[index];
            sent += await ExpirySql.WarnInactiveAsync(db, now, at, lastFrom, lastTo, kind, validThrough, days, ct);
        }
        return sent;
    }

    /// <summary>
    /// The outlook of each member (two queries for any number of members: the policy, and the open lots with their
    /// member's last activity and the program's zone): their lot dates and, under an inactivity policy, the day
    /// everything left lapses, whichever comes first for each lot.
    /// </summary>
    public static async Task<Dictionary<Guid, ExpiryOutlook>> OutlookAsync(LoyaltyDbContext db, IReadOnlyCollection<Guid> memberIds, CancellationToken ct = default)
    {
        var policy = await GetPolicyAsync(db, ct);
        var inactivity = policy.InactivityMonths;
        var lots = await (
                from l in db.PointsLots.AsNoTracking()
                join b in db.Balances.AsNoTracking() on l.MemberId equals b.MemberId
                join p in db.Programs.AsNoTracking() on l.ProgramId equals p.Id
                where memberIds.Contains(l.MemberId) && l.Remaining > 0 && (l.ExpiresAt != null || inactivity != null)
                select new { l.MemberId, l.EarnedAt, l.ExpiresAt, l.Remaining, b.LastActivityAt, p.TimeZone })
            .ToListAsync(ct);
        return memberIds.Distinct().ToDictionary(id => id, id => new ExpiryOutlook(lots.Where(l => l.MemberId == id)
            .Select(l => (l.Remaining, At: Earliest(l.ExpiresAt,
                ExpiryRules.InactivityDeadline(l.LastActivityAt ?? l.EarnedAt, inactivity, ActivityRules.Zone(l.TimeZone)))))
            .Where(l => l.At is not null)
            .GroupBy(l => l.At!.Value).OrderBy(g => g.Key)
            .Select(g => new ExpiringPoints(g.Sum(l => l.Remaining), g.Key)).ToList()));
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => (a, b) switch
    {
        (null, _) => b,
        (_, null) => a,
        _ => a < b ? a : b,
    };

    private static Task<T> InTransactionAsync<T>(LoyaltyDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(token);
            var result = await work(token);
            await tx.CommitAsync(token);
            return result;
        }, ct);
}
