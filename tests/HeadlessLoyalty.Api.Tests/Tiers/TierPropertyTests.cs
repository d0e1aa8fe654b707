using FsCheck.Xunit;
using HeadlessLoyalty.Api.Tiers;
using static HeadlessLoyalty.Api.Tests.Tiers.TierRulesTests;

namespace HeadlessLoyalty.Api.Tests.Tiers;

public sealed class TierPropertyTests
{
    private static readonly TimeZoneInfo[] Zones =
        [TimeZoneInfo.Utc, .. new[] { "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata", "Pacific/Chatham", "America/Santiago", "Europe/Paris" }.Select(TimeZoneInfo.FindSystemTimeZoneById)];

    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Instant(uint minutes) => Start.AddMinutes(minutes % (12 * 366 * 24 * 60));

    /// <summary>
    /// Calendar and membership years (any zone, any enrolment date, 29 February included) hold the instant asked about,
    /// last a year give or take a DST hour and a 29 February, and the next one starts exactly where this one ends.
    /// </summary>
    [Property(MaxTest = 500)]
    public bool Periods_hold_their_instant_last_a_year_and_follow_each_other(uint at, uint enrolled, byte zoneSeed, bool anniversary)
    {
        var zone = Zones[zoneSeed % Zones.Length];
        var instant = Instant(at);
        var enrolledAt = Instant(enrolled);
        var period = anniversary ? TierPeriod.MembershipAnniversary : TierPeriod.CalendarYear;

        var w = TierPeriods.TermFrom(period, instant, enrolledAt, zone);
        var next = TierPeriods.TermFrom(period, w.End!.Value, enrolledAt, zone);
        var length = w.End.Value - w.Start;

        return w.Start <= instant && instant < w.End
            && length >= TimeSpan.FromDays(365) - TimeSpan.FromHours(2) && length <= TimeSpan.FromDays(366) + TimeSpan.FromHours(2)
            && next.Start == w.End && next.End > next.Start
            && TierPeriods.ProgressWindow(period, instant, enrolledAt, zone) == w;
    }

    /// <summary>
    /// Whatever the policy and the period's metric, the tier after the period end is at most the higher of the tier
    /// held and the tier the metric reaches; a member who requalified keeps at least their tier; Retain never lowers
    /// a tier; DowngradeOneStep lowers by at most one; Recompute lands exactly on what the metric reaches.
    /// </summary>
    [Property(MaxTest = 500)]
    public bool The_period_end_never_raises_beyond_the_metric_and_lowers_only_as_the_policy_allows(byte count, byte held, uint progressRaw, byte policySeed, bool withEntry)
    {
        var n = count % 6 + 1;
        var ordered = TierRules.Ordered(Enumerable.Range(0, n).Select(i => T($"T{i}", (withEntry ? 0 : 10) + i * 100, i)));
        var current = TierRules.Held(ordered, ordered[held % n].Id);
        var progress = progressRaw % 900;
        var policy = (TierPeriodEnd)(policySeed % 4);

        var after = TierRules.AtPeriodEnd(ordered, current, progress, policy);
        int Pos(Tier? t) => TierRules.Position(ordered, t);
        var qualified = TierRules.Qualified(ordered, progress);

        return Pos(after) <= Math.Max(Pos(current), Pos(qualified))
            && (Pos(qualified) < Pos(current) || Pos(after) >= Pos(current))
            && (policy != TierPeriodEnd.Retain || Pos(after) == Math.Max(Pos(current), Pos(qualified)))
            && (policy != TierPeriodEnd.DowngradeOneStep || Pos(after) >= Pos(current) - 1)
            && (policy != TierPeriodEnd.Recompute || after == qualified)
            && (policy != TierPeriodEnd.Reset || after == current || Pos(after) > Pos(current) || after == TierRules.Entry(ordered));
    }

    /// <summary>At a steady pace (the same amount every day), the projection at any day is what the whole period gives.</summary>
    [Property(MaxTest = 300)]
    public bool At_a_steady_pace_the_projection_is_the_periods_total(ushort perDay, ushort daysGone)
    {
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = from.AddDays(365);
        var gone = daysGone % 364 + 1;
        var soFar = (decimal)perDay * gone;

        var projected = TierProgress.Project(soFar, from, from.AddDays(gone), end);

        return Math.Abs(projected - perDay * 365m) < 0.0001m && projected >= soFar;
    }
}
