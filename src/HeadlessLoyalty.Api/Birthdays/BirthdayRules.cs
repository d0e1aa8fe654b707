namespace HeadlessLoyalty.Api.Birthdays;

/// <summary>Birthdays by the calendar of the program's time zone. Pure: no clock, no database.</summary>
public static class BirthdayRules
{
    public const int DaysOfNotice = 7;

    /// <summary>
    /// The day the birthday falls on in <paramref name="year"/>. A 29 February birthday is celebrated on 28 February
    /// in years without one (still in February, and before the legal date rather than after it).
    /// </summary>
    public static DateOnly InYear(int year, int month, int day) =>
        month == 2 && day == 29 && !DateTime.IsLeapYear(year) ? new DateOnly(year, 2, 28) : new DateOnly(year, month, day);

    /// <summary>Whether <paramref name="date"/> is the member's birthday.</summary>
    public static bool IsOn(DateOnly date, int month, int day) => InYear(date.Year, month, day) == date;

    /// <summary>Whether the birthday is exactly <see cref="DaysOfNotice"/> days after <paramref name="date"/> (across a new year too); returns that birthday.</summary>
    public static DateOnly? NoticeFor(DateOnly date, int month, int day)
    {
        var target = date.AddDays(DaysOfNotice);
        return IsOn(target, month, day) ? target : null;
    }

    /// <summary>The (month, day) pairs whose birthday falls on <paramref name="date"/>: two on 28 February of a non-leap year.</summary>
    public static IReadOnlyList<(int Month, int Day)> BornOn(DateOnly date) =>
        date is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(date.Year) ? [(2, 28), (2, 29)] : [(date.Month, date.Day)];

    /// <summary>Today's date in the program's time zone.</summary>
    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
}
