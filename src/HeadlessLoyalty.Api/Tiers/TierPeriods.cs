using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Birthdays;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>A span of time, [Start, End); End is null for a window that has no end (the trailing 12 months).</summary>
public sealed record TierWindow(DateTimeOffset Start, DateTimeOffset? End);

/// <summary>
/// Qualification periods, pure (no clock, no database). Calendar years and membership years start at midnight in the
/// program's time zone; a membership year starts on the anniversary of the enrolment date (29 February: 28 February
/// in common years, as birthdays do). Rolling periods are 12 calendar months from an instant.
/// </summary>
public static class TierPeriods
{
    public const int RollingMonths = 12;

    /// <summary>The first instant of <paramref name="date"/> in <paramref name="zone"/>: where midnight falls in a DST gap, the first valid time after it.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(15);
        // An ambiguous midnight (clocks went back over it): the first of the two, the one with the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The calendar year of <paramref name="zone"/> that holds <paramref name="at"/>.</summary>
    public static TierWindow CalendarYear(DateTimeOffset at, TimeZoneInfo zone)
    {
        var year = ActivityRules.LocalDate(at, zone).Year;
        return new(StartOfDay(new DateOnly(year, 1, 1), zone), StartOfDay(new DateOnly(year + 1, 1, 1), zone));
    }

    /// <summary>The enrolment anniversary in <paramref name="year"/> (29 February: the 28th in common years).</summary>
    public static DateOnly Anniversary(int year, DateOnly enrolled) => BirthdayRules.InYear(year, enrolled.Month, enrolled.Day);

    /// <summary>The membership year that holds <paramref name="at"/>: from one enrolment anniversary (local midnight) to the next.</summary>
    public static TierWindow MembershipYear(DateTimeOffset at, DateTimeOffset enrolledAt, TimeZoneInfo zone)
    {
        var enrolled = ActivityRules.LocalDate(enrolledAt, zone);
        var today = ActivityRules.LocalDate(at, zone);
        var year = Anniversary(today.Year, enrolled) <= today ? today.Year : today.Year - 1;
        return new(StartOfDay(Anniversary(year, enrolled), zone), StartOfDay(Anniversary(year + 1, enrolled), zone));
    }

    /// <summary>
    /// The window whose metric counts toward an upgrade at <paramref name="now"/>, and what "progress" reports: the
    /// current calendar or membership year (with its end), or the trailing 12 months (no end).
    /// </summary>
    public static TierWindow ProgressWindow(TierPeriod period, DateTimeOffset now, DateTimeOffset enrolledAt, TimeZoneInfo zone) => period switch
    {
        TierPeriod.CalendarYear => CalendarYear(now, zone),
        TierPeriod.MembershipAnniversary => MembershipYear(now, enrolledAt, zone),
        _ => new(now.AddMonths(-RollingMonths), null),
    };

    /// <summary>
    /// The term of a tier reached (or renewed) at <paramref name="at"/>: it expires at the end of the calendar or
    /// membership year holding <paramref name="at"/>, or 12 months after <paramref name="at"/> on a rolling period. At
    /// the end the metric over exactly this term decides (on a rolling period, the 12 months before the expiry).
    /// </summary>
    public static TierWindow TermFrom(TierPeriod period, DateTimeOffset at, DateTimeOffset enrolledAt, TimeZoneInfo zone) => period switch
    {
        TierPeriod.CalendarYear => CalendarYear(at, zone),
        TierPeriod.MembershipAnniversary => MembershipYear(at, enrolledAt, zone),
        _ => new(at, at.AddMonths(RollingMonths)),
    };
}
