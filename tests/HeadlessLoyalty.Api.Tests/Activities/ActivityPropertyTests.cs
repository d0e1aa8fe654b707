using FsCheck.Xunit;
using HeadlessLoyalty.Api.Activities;

namespace HeadlessLoyalty.Api.Tests.Activities;

public sealed class ActivityPropertyTests
{
    private static readonly TimeZoneInfo[] Zones =
        [TimeZoneInfo.Utc, .. new[] { "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata", "Pacific/Chatham" }.Select(TimeZoneInfo.FindSystemTimeZoneById)];

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A limit from 1 to 6, or none: small enough that random sequences fill the windows.</summary>
    private static int? Limit(byte raw) => raw % 7 == 0 ? null : raw % 7;

    /// <summary>
    /// Activities at random instants (in any order, over four months, DST changes included) go through the rule one by
    /// one; an accepted one becomes an award. Afterwards no local day, ISO week or month holds more awards than its
    /// limit, nor does the lifetime; and every refusal named a window that was indeed full at that moment.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Awarding_through_the_rule_never_exceeds_any_limit_in_any_window(byte d, byte w, byte m, byte l, byte zoneSeed, int[] minutes)
    {
        var rule = ActivityRulesTests.Rule(Limit(d), Limit(w), Limit(m), Limit(l));
        var zone = Zones[zoneSeed % Zones.Length];
        var awards = new List<DateTimeOffset>();

        foreach (var raw in minutes)
        {
            var at = Start.AddMinutes((uint)raw % (120 * 24 * 60));
            var full = ActivityRules.LimitReached(rule, awards, at, zone);
            if (full is null)
                awards.Add(at);
            else if (CountIn(full.Value, awards, at, zone) < LimitOf(rule, full.Value))
                return false;
        }

        return awards.All(a =>
            CountIn(ActivityWindow.Day, awards, a, zone) <= (rule.DailyLimit ?? int.MaxValue)
            && CountIn(ActivityWindow.Week, awards, a, zone) <= (rule.WeeklyLimit ?? int.MaxValue)
            && CountIn(ActivityWindow.Month, awards, a, zone) <= (rule.MonthlyLimit ?? int.MaxValue))
            && awards.Count <= (rule.LifetimeLimit ?? int.MaxValue);
    }

    private static int LimitOf(ActivityRule rule, ActivityWindow window) => window switch
    {
        ActivityWindow.Day => rule.DailyLimit!.Value,
        ActivityWindow.Week => rule.WeeklyLimit!.Value,
        ActivityWindow.Month => rule.MonthlyLimit!.Value,
        _ => rule.LifetimeLimit!.Value,
    };

    /// <summary>Awards in the same window as <paramref name="at"/>, computed independently of the rule: by local date ranges.</summary>
    private static int CountIn(ActivityWindow window, List<DateTimeOffset> awards, DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).Date;
        var (from, to) = window switch
        {
            ActivityWindow.Day => (local, local.AddDays(1)),
            ActivityWindow.Week => (local.AddDays(-(((int)local.DayOfWeek + 6) % 7)), local.AddDays(7 - (((int)local.DayOfWeek + 6) % 7))),
            ActivityWindow.Month => (new DateTime(local.Year, local.Month, 1), new DateTime(local.Year, local.Month, 1).AddMonths(1)),
            _ => (DateTime.MinValue, DateTime.MaxValue),
        };
        return awards.Count(a => TimeZoneInfo.ConvertTime(a, zone).DateTime is var t && t >= from && t < to);
    }
}
