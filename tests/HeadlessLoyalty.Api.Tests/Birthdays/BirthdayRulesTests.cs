using HeadlessLoyalty.Api.Birthdays;

namespace HeadlessLoyalty.Api.Tests.Birthdays;

public sealed class BirthdayRulesTests
{
    [Theory]
    [InlineData(2027, 2, 29, "2027-02-28")] // no 29 February: the 28th
    [InlineData(2028, 2, 29, "2028-02-29")]
    [InlineData(2027, 2, 28, "2027-02-28")]
    [InlineData(2027, 12, 31, "2027-12-31")]
    public void A_birthday_falls_on_its_date_and_29_february_on_the_28th_in_other_years(int year, int month, int day, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), BirthdayRules.InYear(year, month, day));

    [Fact]
    public void On_28_february_of_a_common_year_both_28_and_29_february_birthdays_are_celebrated()
    {
        Assert.Equal([(2, 28), (2, 29)], BirthdayRules.BornOn(new DateOnly(2027, 2, 28)));
        Assert.Equal([(2, 28)], BirthdayRules.BornOn(new DateOnly(2028, 2, 28)));
        Assert.Equal([(2, 29)], BirthdayRules.BornOn(new DateOnly(2028, 2, 29)));
        Assert.True(BirthdayRules.IsOn(new DateOnly(2027, 2, 28), 2, 29));
        Assert.False(BirthdayRules.IsOn(new DateOnly(2028, 2, 28), 2, 29));
    }

    [Fact]
    public void The_notice_comes_seven_days_ahead_across_a_new_year()
    {
        Assert.Equal(new DateOnly(2028, 1, 3), BirthdayRules.NoticeFor(new DateOnly(2027, 12, 27), 1, 3));
        Assert.Null(BirthdayRules.NoticeFor(new DateOnly(2027, 12, 26), 1, 3));
        Assert.Equal(new DateOnly(2027, 2, 28), BirthdayRules.NoticeFor(new DateOnly(2027, 2, 21), 2, 29));
    }

    [Fact]
    public void Today_is_the_programs_local_date()
    {
        var instant = new DateTimeOffset(2027, 6, 30, 13, 0, 0, TimeSpan.Zero); // 01:00 on 1 July in Auckland (NZST, UTC+12)
        Assert.Equal(new DateOnly(2027, 7, 1), BirthdayRules.Today(instant, TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland")));
        Assert.Equal(new DateOnly(2027, 6, 30), BirthdayRules.Today(instant, TimeZoneInfo.Utc));
        Assert.Equal(new DateOnly(2027, 6, 30), BirthdayRules.Today(instant, TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles")));
    }
}
