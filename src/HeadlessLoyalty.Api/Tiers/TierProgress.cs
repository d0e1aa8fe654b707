using HeadlessLoyalty.Api.Events;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>One contribution to the metric: a purchase's amount net of refunds, or points earned (a refund's reversal negative).</summary>
public sealed record MetricPoint(DateTimeOffset At, decimal Value);

/// <summary>
/// A member's tier status. <see cref="ExpiresAt"/> is null when the tier cannot lapse (the entry tier, or the Retain
/// policy); the projections and the renewal gap are then null too, except that a calendar or membership year still
/// projects to its end (toward an upgrade). <see cref="PeriodEnd"/> is null on a rolling period without a term.
/// </summary>
public sealed record TierStatus(
    Tier? Current, DateTimeOffset? AchievedAt, DateTimeOffset? ExpiresAt, DateTimeOffset PeriodStart, DateTimeOffset? PeriodEnd,
    TierMetric Metric, decimal Progress, decimal? ProjectedProgressAtExpiration, decimal? ProgressNeededToRenew,
    decimal? ProgressNeededToUpgrade, Tier? NextTier, Tier? ForecastedTierAtExpiration);

/// <summary>Progress, pace and forecasts, pure: the caller passes the member's metric points and the clock's now.</summary>
public static class TierProgress
{
    /// <summary>The metric from <paramref name="from"/> on (and before <paramref name="before"/> when given), never below 0.</summary>
    public static decimal Sum(IEnumerable<MetricPoint> points, DateTimeOffset from, DateTimeOffset? before = null) =>
        Math.Max(0, points.Where(p => p.At >= from && (before is not { } end || p.At < end)).Sum(p => p.Value));

    /// <summary>
    /// Where the metric of the window [<paramref name="from"/>, <paramref name="end"/>) lands at the current pace: what
    /// it reached by <paramref name="now"/>, scaled by the window's length over the time elapsed. At or after the end,
    /// or before the start, it is what it is.
    /// </summary>
    public static decimal Project(decimal soFar, DateTimeOffset from, DateTimeOffset now, DateTimeOffset end)
    {
        if (now >= end || now <= from)
            return soFar;
        return soFar * ((decimal)(end - from).Ticks / (now - from).Ticks);
    }

    /// <summary>Rounds a projection down to what the metric counts in: cents of spend, whole points.</summary>
    public static decimal RoundDown(decimal value, TierMetric metric) =>
        Math.Round(value, metric == TierMetric.Spend ? 2 : 0, MidpointRounding.ToZero);

    public static TierStatus Status(
        TierPolicy policy, IReadOnlyList<Tier> ordered, TierHolding? holding, DateTimeOffset enrolledAt, DateTimeOffset now, TimeZoneInfo zone,
        IReadOnlyCollection<MetricPoint> points)
    {
        var current = TierRules.Held(ordered, holding?.TierId);
        var entry = TierRules.Entry(ordered);
        var window = TierPeriods.ProgressWindow(policy.Period, now, enrolledAt, zone);
        var progress = Sum(points, window.Start);
        // A tier above the entry one has a term; on a rolling period it is the row's, otherwise the calendar's.
        var term = holding is { PeriodStart: { } s, ExpiresAt: { } e } && current is not null && current.Id != entry?.Id
            ? policy.Period == TierPeriod.Rolling12Months ? new TierWindow(s, e) : window
            : null;
        var lapses = term is not null && policy.PeriodEnd != TierPeriodEnd.Retain;
        var projectionWindow = term ?? (window.End is null ? null : window);
        var termProgress = term is null || policy.Period != TierPeriod.Rolling12Months ? progress : Sum(points, term.Start);
        decimal? projected = projectionWindow is { End: { } end }
            ? RoundDown(Project(termProgress, projectionWindow.Start, now, end), policy.Metric)
            : null;
        var next = TierRules.Above(ordered, current);
        return new TierStatus(
            current,
            current is null ? null : holding?.AchievedAt ?? enrolledAt,
            lapses ? holding!.ExpiresAt : null,
            projectionWindow?.Start ?? window.Start,
            projectionWindow?.End,
            policy.Metric,
            progress,
            projected,
            lapses ? Math.Max(0, current!.Threshold - termProgress) : null,
            next is null ? null : Math.Max(0, next.Threshold - progress),
            next,
            projected is { } p ? TierRules.AtPeriodEnd(ordered, current, p, policy.PeriodEnd) : null);
    }

    /// <summary>
    /// The reset warning due at <paramref name="now"/> for a tier expiring at <paramref name="expiresAt"/>: the most urgent
    /// of 1 day, 2 weeks and 4 weeks that the time left is within (a run that missed the 4-week mark sends only the
    /// 2-week one); null when more than 4 weeks are left or the tier has expired.
    /// </summary>
    public static string? WarningDue(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var left = expiresAt - now;
        if (left <= TimeSpan.Zero)
            return null;
        if (left <= TimeSpan.FromDays(1))
            return EventTypes.TierResetIn1Day;
        if (left <= TimeSpan.FromDays(14))
            return EventTypes.TierResetIn2Weeks;
        return left <= TimeSpan.FromDays(28) ? EventTypes.TierResetIn4Weeks : null;
    }
}
