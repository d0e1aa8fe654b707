using FsCheck.Xunit;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Tests.Expiry;

public sealed class ExpiryRulesTests
{
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void A_lot_is_valid_through_the_same_local_day_months_later_and_lapses_at_the_next_local_midnight()
    {
        // 20:00 UTC on 10 March 2026 is already 11 March in Auckland (UTC+13 in summer).
        var earned = new DateTimeOffset(2026, 3, 10, 20, 0, 0, TimeSpan.Zero);

        var expires = ExpiryRules.LotExpiresAt(earned, 12, Auckland);

        // Valid through 11 March 2027 in Auckland: lapses at 12 March 00:00 NZDT = 11 March 11:00 UTC.
        Assert.Equal(new DateTimeOffset(2027, 3, 11, 11, 0, 0, TimeSpan.Zero), expires);
        Assert.Null(ExpiryRules.LotExpiresAt(earned, null, Auckland));
    }

    [Fact]
    public void A_lot_earned_on_the_31st_is_valid_through_the_last_day_of_a_shorter_month()
    {
        var earned = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), ExpiryRules.LotExpiresAt(earned, 1, TimeZoneInfo.Utc));
    }

    [Fact]
    public void A_day_whose_midnight_a_clock_change_skips_starts_when_the_clock_resumes()
    {
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var day = new DateOnly(2026, 9, 6); // Chile moves 00:00 to 01:00 that Sunday
        Assert.True(santiago.IsInvalidTime(day.ToDateTime(TimeOnly.MinValue)));

        // 01:00 at UTC-3 (summer time).
        Assert.Equal(new DateTimeOffset(2026, 9, 6, 4, 0, 0, TimeSpan.Zero), ExpiryRules.StartOfDay(day, santiago));
    }

    [Property(MaxTest = 500)]
    public bool The_set_based_inactivity_cutoff_agrees_with_each_members_deadline(int lastMinutes, int nowMinutes, byte months, bool newYork)
    {
        var zone = newYork ? NewYork : Auckland;
        var n = months % 24 + 1;
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var last = origin.AddMinutes(Math.Abs(lastMinutes % 2_000_000));
        var now = origin.AddMinutes(Math.Abs(nowMinutes % 2_000_000));

        var pastDeadline = ExpiryRules.InactivityDeadline(last, n, zone) <= now;

        return pastDeadline == (last < ExpiryRules.InactiveBefore(now, n, zone));
    }

    [Theory]
    [InlineData(29, EventTypes.PointsExpireIn30Days)]
    [InlineData(7, EventTypes.PointsExpireIn7Days)]
    [InlineData(4, EventTypes.PointsExpireIn7Days)]
    [InlineData(3, EventTypes.PointsExpireIn3Days)]
    [InlineData(0.5, EventTypes.PointsExpireIn3Days)]
    public void Each_date_ahead_is_in_exactly_one_warning_window_the_nearest_threshold(double daysAhead, string expected)
    {
        var now = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var date = now.AddDays(daysAhead);

        var matching = Enumerable.Range(0, ExpiryRules.Warnings.Count)
            .Where(i => ExpiryRules.WarningWindow(i, now) is var (from, to) && date > from && date <= to)
            .Select(i => ExpiryRules.Warnings[i].EventType).ToList();

        Assert.Equal([expected], matching);
        Assert.Equal(expected, ExpiryRules.Warnings[ExpiryRules.WarningFor(date, now)!.Value].EventType);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Nothing_is_due_more_than_30_days_ahead_or_for_a_date_already_past(double daysAhead)
    {
        var now = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(ExpiryRules.WarningFor(now.AddDays(daysAhead), now));
    }

    [Theory]
    [InlineData(0, null, "lotValidityMonths")]
    [InlineData(121, null, "lotValidityMonths")]
    [InlineData(null, 0, "inactivityMonths")]
    [InlineData(12, 121, "inactivityMonths")]
    public void A_policy_outside_1_to_120_months_is_refused_naming_the_field(int? validity, int? inactivity, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => ExpiryRules.Validate(new ExpirySettings(validity, inactivity)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Both_parts_off_or_within_bounds_are_accepted()
    {
        ExpiryRules.Validate(ExpirySettings.Default);
        ExpiryRules.Validate(new ExpirySettings(1, 120));
    }

    [Theory]
    [InlineData(LedgerEntryKind.Earn, true)]
    [InlineData(LedgerEntryKind.Bonus, true)]
    [InlineData(LedgerEntryKind.Redeem, true)]
    [InlineData(LedgerEntryKind.Adjustment, false)]
    [InlineData(LedgerEntryKind.Reversal, false)]
    [InlineData(LedgerEntryKind.Expire, false)]
    public void Only_what_the_member_does_counts_as_activity(LedgerEntryKind kind, bool qualifies) =>
        Assert.Equal(qualifies, ExpiryRules.IsQualifyingActivity(kind));
}
