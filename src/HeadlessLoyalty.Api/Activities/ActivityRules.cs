using System.Text.RegularExpressions;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Activities;

/// <summary>
/// The pure activity rules: no database, no clock. Which key a rule has, whether its settings make sense, and whether
/// a member may earn it once more. Limits count awards in calendar windows of the program's time zone (the local day,
/// the ISO week from Monday, the calendar month), so "once a day" means once per day where the program's members live.
/// </summary>
public static partial class ActivityRules
{
    public const long MaxPoints = Ledger.MaxPointsPerEntry;
    public const int MaxDescriptionLength = 500;
    public const int MaxKeyLength = 63;
    public const int MaxReferenceLength = 200;

    /// <summary>The built-in types' keys; a custom activity may not take one of them.</summary>
    public static IReadOnlyDictionary<ActivityType, string> BuiltInKeys { get; } = new Dictionary<ActivityType, string>
    {
        [ActivityType.Review] = "review",
        [ActivityType.SocialShare] = "social_share",
        [ActivityType.SignUp] = "sign_up",
        [ActivityType.Birthday] = "birthday",
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex CustomKey();

    /// <summary>
    /// Checks a rule's settings and returns its key: the type's own key for a built-in type (a given key must be that
    /// one), the given key for a custom one. Throws INVALID_INPUT naming the first bad field.
    /// </summary>
    public static string Validate(ActivityRuleInput r)
    {
        var key = KeyFor(r.Type, r.Key);
        if (r.Points is < 1 or > MaxPoints)
            throw new InvalidInputException("points", $"Points must be between 1 and {MaxPoints}.");
        (string Field, int? Limit)[] limits =
            [("dailyLimit", r.DailyLimit), ("weeklyLimit", r.WeeklyLimit), ("monthlyLimit", r.MonthlyLimit), ("lifetimeLimit", r.LifetimeLimit)];
        foreach (var (field, limit) in limits)
        {
            if (limit is < 1)
                throw new InvalidInputException(field, "A limit must be at least 1, or empty for no limit.");
        }
        // A longer window holds every shorter one that ends in it, so a smaller limit there would make the shorter one a lie.
        for (var longer = 1; longer < limits.Length; longer++)
        {
            for (var shorter = 0; shorter < longer; shorter++)
            {
                if (limits[longer].Limit is { } l && limits[shorter].Limit is { } s && l < s)
                    throw new InvalidInputException(limits[longer].Field, $"The {limits[longer].Field} ({l}) must not be below the {limits[shorter].Field} ({s}).");
            }
        }
        if (r.Description is { } d && d.Trim().Length > MaxDescriptionLength)
            throw new InvalidInputException("description", $"The description must be at most {MaxDescriptionLength} characters.");
        return key;
    }

    /// <summary>The rule key for <paramref name="type"/> and the key a caller gave (trimmed; null or empty for the built-in default).</summary>
    public static string KeyFor(ActivityType type, string? given)
    {
        var key = string.IsNullOrWhiteSpace(given) ? null : given.Trim();
        if (BuiltInKeys.TryGetValue(type, out var builtIn))
        {
            if (key is not null && key != builtIn)
                throw new InvalidInputException("key", $"The key of a {type} activity is '{builtIn}'.");
            return builtIn;
        }
        if (key is null)
            throw new InvalidInputException("key", "A custom activity needs a key.");
        if (!CustomKey().IsMatch(key))
            throw new InvalidInputException("key", "A key is 1 to 63 lower-case letters, digits, '_' or '-', starting with a letter or digit.");
        if (BuiltInKeys.Values.Contains(key))
            throw new InvalidInputException("key", $"'{key}' is the key of a built-in activity; choose that type instead.");
        return key;
    }

    /// <summary>
    /// The window whose limit awarding one more time at <paramref name="occurredAt"/> would exceed, or null when the
    /// member may earn. Counts the <paramref name="previousAwards"/> (their OccurredAt) that fall in the same local day,
    /// ISO week (Monday to Sunday) and calendar month of <paramref name="zone"/> as <paramref name="occurredAt"/>, and
    /// all of them for the lifetime limit. The shortest full window is reported.
    /// </summary>
    public static ActivityWindow? LimitReached(ActivityRule rule, IReadOnlyList<DateTimeOffset> previousAwards, DateTimeOffset occurredAt, TimeZoneInfo zone)
    {
        var day = LocalDate(occurredAt, zone);
        var (week, month) = (WeekStart(day), MonthStart(day));
        int days = 0, weeks = 0, months = 0;
        foreach (var at in previousAwards)
        {
            var d = LocalDate(at, zone);
            if (d == day) days++;
            if (WeekStart(d) == week) weeks++;
            if (MonthStart(d) == month) months++;
        }
        if (days >= rule.DailyLimit) return ActivityWindow.Day;
        if (weeks >= rule.WeeklyLimit) return ActivityWindow.Week;
        if (months >= rule.MonthlyLimit) return ActivityWindow.Month;
        if (previousAwards.Count >= rule.LifetimeLimit) return ActivityWindow.Lifetime;
        return null;
    }

    /// <summary>The calendar date of <paramref name="at"/> in <paramref name="zone"/> (DST applied for that instant).</summary>
    public static DateOnly LocalDate(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The Monday that starts the ISO week of <paramref name="date"/>.</summary>
    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    public static DateOnly MonthStart(DateOnly date) => new(date.Year, date.Month, 1);

    /// <summary>
    /// The program's zone; an id this machine does not know (the program was created elsewhere) counts in UTC rather
    /// than refusing every activity.
    /// </summary>
    public static TimeZoneInfo Zone(string? id) =>
        id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
