using HeadlessLoyalty.Api.Tiers;

namespace HeadlessLoyalty.Api.Tests.Tiers;

public sealed class TierPeriodsTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private static readonly TimeZoneInfo Santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso + "Z", null, System.Globalization.DateTimeStyles.AdjustToUniversal);

    [Fact]
    public void A_calendar_year_runs_from_local_midnight_of_1_january_to_the_next()
    {
        var year = TierPeriods.CalendarYear(Utc("2026-06-15T12:00:00"), Paris);

        Assert.Equal(new TierWindow(Utc("2025-12-31T23:00:00"), Utc("2026-12-31T23:00:00")), year);
    }

    [Theory]
    [InlineData("Europe/Paris", "2026-12-31T23:30:00", "2026-12-31T23:00:00")] // already 1 January in Paris
    [InlineData("Pacific/Auckland", "2026-12-31T12:00:00", "2026-12-31T11:00:00")] // 1 January 01:00 NZDT
    [InlineData("America/Los_Angeles", "2027-01-01T05:00:00", "2026-01-01T08:00:00")] // still 31 December 21:00 PST
    [InlineData("UTC", "2027-01-01T00:00:00", "2027-01-01T00:00:00")] // the first instant belongs to the new year
    public void The_year_an_instant_falls_in_is_the_program_time_zones(string zone, string at, string expectedStart) =>
        Assert.Equal(Utc(expectedStart), TierPeriods.CalendarYear(Utc(at), TimeZoneInfo.FindSystemTimeZoneById(zone)).Start);

    [Fact]
    public void A_membership_year_runs_from_the_enrolment_anniversary_to_the_next()
    {
        var enrolled = Utc("2026-03-10T15:00:00");

        Assert.Equal(new TierWindow(Utc("2026-03-10T00:00:00"), Utc("2027-03-10T00:00:00")), TierPeriods.MembershipYear(Utc("2027-03-09T23:59:59"), enrolled, TimeZoneInfo.Utc));
        Assert.Equal(new TierWindow(Utc("2027-03-10T00:00:00"), Utc("2028-03-10T00:00:00")), TierPeriods.MembershipYear(Utc("2027-03-10T00:00:00"), enrolled, TimeZoneInfo.Utc));
    }

    [Fact]
    public void The_anniversary_is_the_local_enrolment_date_at_local_midnight()
    {
        // 02:00 UTC on 10 March is 9 March in Los Angeles; 9 March 2027 is still standard time (UTC-8).
        var year = TierPeriods.MembershipYear(Utc("2027-06-01T00:00:00"), Utc("2026-03-10T02:00:00"), LosAngeles);

        Assert.Equal(new TierWindow(Utc("2027-03-09T08:00:00"), Utc("2028-03-09T08:00:00")), year);
    }

    [Theory]
    [InlineData("2025-03-01T00:00:00", "2025-02-28", "2026-02-28")]
    [InlineData("2027-06-01T00:00:00", "2027-02-28", "2028-02-29")]
    [InlineData("2028-02-28T12:00:00", "2027-02-28", "2028-02-29")]
    [InlineData("2028-02-29T00:00:00", "2028-02-29", "2029-02-28")]
    public void A_member_enrolled_on_29_february_has_anniversaries_on_28_february_in_common_years(string at, string start, string end)
    {
        var year = TierPeriods.MembershipYear(Utc(at), Utc("2024-02-29T10:00:00"), TimeZoneInfo.Utc);

        Assert.Equal(new TierWindow(Utc(start + "T00:00:00"), Utc(end + "T00:00:00")), year);
    }

    [Fact]
    public void A_rolling_term_lasts_12_calendar_months_and_progress_looks_back_12_months()
    {
        var at = Utc("2026-05-20T10:00:00");

        Assert.Equal(new TierWindow(at, Utc("2027-05-20T10:00:00")), TierPeriods.TermFrom(TierPeriod.Rolling12Months, at, at, Paris));
        Assert.Equal(new TierWindow(Utc("2025-05-20T10:00:00"), null), TierPeriods.ProgressWindow(TierPeriod.Rolling12Months, at, at, Paris));
        Assert.Equal(Utc("2025-02-28T09:00:00"), TierPeriods.TermFrom(TierPeriod.Rolling12Months, Utc("2024-02-29T09:00:00"), at, Paris).End);
    }

    [Fact]
    public void Calendar_and_anniversary_terms_end_with_the_period_the_tier_was_reached_in()
    {
        var enrolled = Utc("2025-09-01T12:00:00");
        var at = Utc("2026-11-30T12:00:00");

        Assert.Equal(Utc("2026-12-31T23:00:00"), TierPeriods.TermFrom(TierPeriod.CalendarYear, at, enrolled, Paris).End);
        Assert.Equal(Utc("2027-08-31T22:00:00"), TierPeriods.TermFrom(TierPeriod.MembershipAnniversary, at, enrolled, Paris).End);
    }

    [Fact]
    public void Where_midnight_falls_in_a_daylight_saving_gap_the_day_starts_at_its_first_valid_instant()
    {
        // Chile moves its clocks forward at midnight in September: find that day rather than trust a year's rules.
        var gapDay = Enumerable.Range(0, 366).Select(i => new DateOnly(2026, 1, 1).AddDays(i))
            .First(d => Santiago.IsInvalidTime(d.ToDateTime(TimeOnly.MinValue)));

        var start = TierPeriods.StartOfDay(gapDay, Santiago);

        Assert.Equal(gapDay, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, Santiago).DateTime));
        Assert.Equal(gapDay.AddDays(-1), DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start.AddMinutes(-1), Santiago).DateTime));
    }

    [Fact]
    public void Auckland_years_start_in_daylight_saving_time()
    {
        var year = TierPeriods.CalendarYear(Utc("2026-07-01T00:00:00"), Auckland);

        Assert.Equal(new TierWindow(Utc("2025-12-31T11:00:00"), Utc("2026-12-31T11:00:00")), year);
    }
}
