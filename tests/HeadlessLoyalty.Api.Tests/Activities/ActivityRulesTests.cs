using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Tests.Activities;

public sealed class ActivityRulesTests
{
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");

    internal static ActivityRule Rule(int? daily = null, int? weekly = null, int? monthly = null, int? lifetime = null) => new()
    {
        Id = Guid.NewGuid(), Key = "review", Type = ActivityType.Review, Points = 10,
        DailyLimit = daily, WeeklyLimit = weekly, MonthlyLimit = monthly, LifetimeLimit = lifetime, Enabled = true,
    };

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private static ActivityWindow? Check(ActivityRule rule, TimeZoneInfo zone, string at, params string[] previous) =>
        ActivityRules.LimitReached(rule, previous.Select(Utc).ToList(), Utc(at), zone);

    private static void AssertInvalid(string field, ActivityRuleInput input)
    {
        var e = Assert.Throws<InvalidInputException>(() => ActivityRules.Validate(input));
        Assert.Equal((ErrorCodes.InvalidInput, field), (e.Code, e.Field));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    // ---- keys and settings ----

    [Theory]
    [InlineData(ActivityType.Review, "review")]
    [InlineData(ActivityType.SocialShare, "social_share")]
    [InlineData(ActivityType.SignUp, "sign_up")]
    [InlineData(ActivityType.Birthday, "birthday")]
    public void A_built_in_type_is_keyed_by_its_snake_case_name_given_or_not(ActivityType type, string key)
    {
        Assert.Equal(key, ActivityRules.Validate(new ActivityRuleInput(type, null, 5)));
        Assert.Equal(key, ActivityRules.Validate(new ActivityRuleInput(type, $" {key} ", 5)));
        AssertInvalid("key", new ActivityRuleInput(type, "something_else", 5));
    }

    [Theory]
    [InlineData("quiz")]
    [InlineData("7-day-streak")]
    [InlineData("a")]
    [InlineData("x23456789012345678901234567890123456789012345678901234567890123")] // 63 characters
    public void A_custom_key_of_lower_case_letters_digits_underscores_and_dashes_is_accepted(string key) =>
        Assert.Equal(key, ActivityRules.Validate(new ActivityRuleInput(ActivityType.Custom, key, 5)));

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("Quiz")]
    [InlineData("_quiz")]
    [InlineData("-quiz")]
    [InlineData("quiz time")]
    [InlineData("quiz.time")]
    [InlineData("x234567890123456789012345678901234567890123456789012345678901234")] // 64 characters
    [InlineData("review")]
    [InlineData("social_share")]
    [InlineData("sign_up")]
    [InlineData("birthday")]
    public void A_custom_key_that_is_missing_malformed_or_built_in_is_refused(string? key) =>
        AssertInvalid("key", new ActivityRuleInput(ActivityType.Custom, key, 5));

    [Fact]
    public void Points_are_between_one_and_the_ledger_entry_bound()
    {
        ActivityRules.Validate(new ActivityRuleInput(ActivityType.Review, null, 1));
        ActivityRules.Validate(new ActivityRuleInput(ActivityType.Review, null, 1_000_000_000));
        AssertInvalid("points", new ActivityRuleInput(ActivityType.Review, null, 0));
        AssertInvalid("points", new ActivityRuleInput(ActivityType.Review, null, -5));
        AssertInvalid("points", new ActivityRuleInput(ActivityType.Review, null, 1_000_000_001));
    }

    [Fact]
    public void Limits_are_at_least_one_when_set_and_a_longer_window_is_never_below_a_shorter_one()
    {
        ActivityRules.Validate(new ActivityRuleInput(ActivityType.Review, null, 5, 1, 1, 1, 1));
        ActivityRules.Validate(new ActivityRuleInput(ActivityType.Review, null, 5, 2, null, 10, null));
        ActivityRules.Validate(new ActivityRuleInput(ActivityType.Review, null, 5, null, null, null, 1));
        AssertInvalid("dailyLimit", new ActivityRuleInput(ActivityType.Review, null, 5, DailyLimit: 0));
        AssertInvalid("lifetimeLimit", new ActivityRuleInput(ActivityType.Review, null, 5, LifetimeLimit: -1));
        AssertInvalid("weeklyLimit", new ActivityRuleInput(ActivityType.Review, null, 5, DailyLimit: 3, WeeklyLimit: 2));
        AssertInvalid("monthlyLimit", new ActivityRuleInput(ActivityType.Review, null, 5, WeeklyLimit: 5, MonthlyLimit: 4));
        AssertInvalid("monthlyLimit", new ActivityRuleInput(ActivityType.Review, null, 5, DailyLimit: 5, MonthlyLimit: 4)); // skipping the week
        AssertInvalid("lifetimeLimit", new ActivityRuleInput(ActivityType.Review, null, 5, DailyLimit: 2, LifetimeLimit: 1));
    }

    [Fact]
    public void The_description_is_at_most_500_characters()
    {
        ActivityRules.Validate(new ActivityRuleInput(ActivityType.Review, null, 5, Description: new string('d', 500)));
        AssertInvalid("description", new ActivityRuleInput(ActivityType.Review, null, 5, Description: new string('d', 501)));
    }

    // ---- limits ----

    [Fact]
    public void A_rule_without_limits_always_awards()
    {
        var previous = Enumerable.Range(0, 50).Select(i => "2026-05-01T10:00:00").ToArray();
        Assert.Null(Check(Rule(), TimeZoneInfo.Utc, "2026-05-01T10:00:00", previous));
    }

    [Fact]
    public void Each_window_counts_the_awards_that_fall_in_it()
    {
        var rule = Rule(daily: 2, weekly: 3, monthly: 4, lifetime: 5);
        // Friday 2026-05-15; the week runs Monday 11 to Sunday 17.
        Assert.Null(Check(rule, TimeZoneInfo.Utc, "2026-05-15T12:00:00", "2026-05-15T01:00:00"));
        Assert.Equal(ActivityWindow.Day, Check(rule, TimeZoneInfo.Utc, "2026-05-15T23:59:59", "2026-05-15T00:00:00", "2026-05-15T01:00:00"));
        Assert.Null(Check(rule, TimeZoneInfo.Utc, "2026-05-16T00:00:00", "2026-05-15T00:00:00", "2026-05-15T01:00:00"));
        Assert.Equal(ActivityWindow.Week, Check(rule, TimeZoneInfo.Utc, "2026-05-17T23:00:00", "2026-05-11T00:00:00", "2026-05-13T00:00:00", "2026-05-15T00:00:00"));
        Assert.Null(Check(rule, TimeZoneInfo.Utc, "2026-05-18T00:00:00", "2026-05-11T00:00:00", "2026-05-13T00:00:00", "2026-05-15T00:00:00"));
        Assert.Equal(ActivityWindow.Month, Check(rule, TimeZoneInfo.Utc, "2026-05-31T00:00:00", "2026-05-01T00:00:00", "2026-05-08T00:00:00", "2026-05-15T00:00:00", "2026-05-22T00:00:00"));
        Assert.Null(Check(rule, TimeZoneInfo.Utc, "2026-06-01T00:00:00", "2026-05-01T00:00:00", "2026-05-08T00:00:00", "2026-05-15T00:00:00", "2026-05-22T00:00:00"));
        Assert.Equal(ActivityWindow.Lifetime, Check(rule, TimeZoneInfo.Utc, "2027-01-01T00:00:00", "2021-01-01T00:00:00", "2022-01-01T00:00:00", "2023-01-01T00:00:00", "2024-01-01T00:00:00", "2025-01-01T00:00:00"));
    }

    [Fact]
    public void The_shortest_full_window_is_reported()
    {
        Assert.Equal(ActivityWindow.Day, Check(Rule(daily: 1, weekly: 1, monthly: 1, lifetime: 1), TimeZoneInfo.Utc, "2026-05-15T12:00:00", "2026-05-15T01:00:00"));
        Assert.Equal(ActivityWindow.Week, Check(Rule(daily: 5, weekly: 1, lifetime: 1), TimeZoneInfo.Utc, "2026-05-15T12:00:00", "2026-05-15T01:00:00"));
    }

    [Fact]
    public void A_backdated_activity_counts_in_its_own_window_and_later_awards_count_in_it_too()
    {
        var rule = Rule(daily: 1);
        Assert.Null(Check(rule, TimeZoneInfo.Utc, "2026-05-14T12:00:00", "2026-05-15T01:00:00"));
        Assert.Equal(ActivityWindow.Day, Check(rule, TimeZoneInfo.Utc, "2026-05-14T00:00:00", "2026-05-14T23:00:00"));
    }

    [Fact]
    public void The_day_is_the_programs_local_day_across_the_spring_forward_in_Los_Angeles()
    {
        var rule = Rule(daily: 1);
        // 8 March 2026: 02:00 PST jumps to 03:00 PDT; the local day is 23 hours long (08:00Z to 07:00Z next day).
        Assert.Null(Check(rule, LosAngeles, "2026-03-08T08:30:00", "2026-03-08T07:30:00")); // 00:30 on the 8th after 23:30 on the 7th
        Assert.Equal(ActivityWindow.Day, Check(rule, LosAngeles, "2026-03-09T06:30:00", "2026-03-08T08:30:00")); // 23:30 PDT, still the 8th
        // With the winter offset (UTC-8) 07:30Z would still be the 8th; in PDT it is 00:30 on the 9th.
        Assert.Null(Check(rule, LosAngeles, "2026-03-09T07:30:00", "2026-03-08T08:30:00"));
        // In UTC the first pair would be one day (the 8th) and refused.
        Assert.Equal(ActivityWindow.Day, Check(rule, TimeZoneInfo.Utc, "2026-03-08T08:30:00", "2026-03-08T07:30:00"));
    }

    [Fact]
    public void The_25_hour_day_of_the_fall_back_in_Los_Angeles_is_one_day()
    {
        var rule = Rule(daily: 1);
        // 1 November 2026: 02:00 PDT falls back to 01:00 PST; the day runs from 07:00Z to 08:00Z next day.
        Assert.Equal(ActivityWindow.Day, Check(rule, LosAngeles, "2026-11-02T07:59:00", "2026-11-01T07:00:00"));
        Assert.Null(Check(rule, LosAngeles, "2026-11-02T08:00:00", "2026-11-01T07:00:00"));
        Assert.Null(Check(rule, LosAngeles, "2026-11-01T07:00:00", "2026-11-01T06:59:00")); // 23:59 on 31 October
    }

    [Fact]
    public void The_week_starts_on_the_programs_local_Monday_in_Auckland_while_UTC_is_still_Sunday()
    {
        var rule = Rule(weekly: 1);
        // Auckland is UTC+13 in March (NZDT): Monday 2 March 00:30 local is Sunday 1 March 11:30Z.
        Assert.Null(Check(rule, Auckland, "2026-03-01T11:30:00", "2026-03-01T10:30:00")); // Sunday 23:30 local, then Monday 00:30
        Assert.Equal(ActivityWindow.Week, Check(rule, Auckland, "2026-03-08T10:59:00", "2026-03-01T11:30:00")); // Sunday 8th 23:59 local
        Assert.Null(Check(rule, Auckland, "2026-03-08T11:00:00", "2026-03-01T11:30:00")); // Monday 9th 00:00 local
        // Counted in UTC both of the first pair fall on Sunday 1 March, one week.
        Assert.Equal(ActivityWindow.Week, Check(rule, TimeZoneInfo.Utc, "2026-03-01T11:30:00", "2026-03-01T10:30:00"));
    }

    [Fact]
    public void The_month_follows_Aucklands_calendar_across_its_April_fall_back()
    {
        var rule = Rule(monthly: 1);
        // 1 April 00:30 NZDT is 31 March 11:30Z; on 5 April Auckland falls back to UTC+12 (NZST).
        Assert.Null(Check(rule, Auckland, "2026-03-31T11:30:00", "2026-03-31T10:30:00"));
        Assert.Equal(ActivityWindow.Month, Check(rule, Auckland, "2026-04-30T11:30:00", "2026-03-31T11:30:00")); // 30 April 23:30 NZST
        Assert.Null(Check(rule, Auckland, "2026-04-30T12:30:00", "2026-03-31T11:30:00")); // 1 May 00:30 NZST
        // 5 April is 25 hours long: 4 April 11:00Z to 5 April 12:00Z.
        Assert.Equal(ActivityWindow.Day, Check(Rule(daily: 1), Auckland, "2026-04-05T11:59:00", "2026-04-04T11:00:00"));
        Assert.Null(Check(Rule(daily: 1), Auckland, "2026-04-05T12:00:00", "2026-04-04T11:00:00"));
    }

    [Fact]
    public void An_unknown_time_zone_id_counts_in_UTC()
    {
        Assert.Same(TimeZoneInfo.Utc, ActivityRules.Zone("Mars/Olympus_Mons"));
        Assert.Same(TimeZoneInfo.Utc, ActivityRules.Zone(null));
        Assert.Equal(LosAngeles.Id, ActivityRules.Zone("America/Los_Angeles").Id);
    }

    [Theory]
    [InlineData("2026-03-02", "2026-03-02")] // Monday
    [InlineData("2026-03-08", "2026-03-02")] // Sunday
    [InlineData("2026-01-01", "2025-12-29")] // a week across the new year
    public void Weeks_start_on_Monday(string date, string monday) =>
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), ActivityRules.WeekStart(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
}
