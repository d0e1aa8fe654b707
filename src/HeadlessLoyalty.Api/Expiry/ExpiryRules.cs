using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Expiry;

/// <summary>
/// Pure expiry rules: no clock, no database. Points lapse at the start of a day in the program's time zone, so all
/// the lots a member earned on one day lapse together (one warning per day, not per purchase).
/// <para>Qualifying activity (for the inactivity policy): an Earn, Bonus or Redeem entry, pending or approved, when it
/// is recorded - a purchase, an activity award or a reward redemption. Adjustments, refunds and expiry are things done
/// to a member, not by them, and do not count.</para>
/// <para>A policy change applies to lots earned afterwards: a lot's date is fixed when it is made (it is what the
/// member was told). The inactivity part applies at once to everyone, since it is measured from the last activity.</para>
/// </summary>
public static class ExpiryRules
{
    public const int MaxMonths = 120;

    /// <summary>Warnings before a lot's date, largest first; each fires once, in its own window (see <see cref="WarningWindow"/>).</summary>
    public static readonly IReadOnlyList<(int Days, string EventType)> Warnings =
    [
        (30, Events.EventTypes.PointsExpireIn30Days),
        (7, Events.EventTypes.PointsExpireIn7Days),
        (3, Events.EventTypes.PointsExpireIn3Days),
    ];

    public static void Validate(ExpirySettings s)
    {
        if (s.LotValidityMonths is < 1 or > MaxMonths)
            throw new InvalidInputException("lotValidityMonths", $"Lot validity is 1 to {MaxMonths} months, or null for none.");
        if (s.InactivityMonths is < 1 or > MaxMonths)
            throw new InvalidInputException("inactivityMonths", $"Inactivity is 1 to {MaxMonths} months, or null for none.");
    }

    public static bool IsQualifyingActivity(LedgerEntryKind kind) => kind is LedgerEntryKind.Earn or LedgerEntryKind.Bonus or LedgerEntryKind.Redeem;

    /// <summary>When a lot earned at <paramref name="earnedAt"/> lapses: the start of the day after the same local day <paramref name="months"/> later.</summary>
    public static DateTimeOffset? LotExpiresAt(DateTimeOffset earnedAt, int? months, TimeZoneInfo zone) =>
        months is { } n ? StartOfDay(ActivityRules.LocalDate(earnedAt, zone).AddMonths(n).AddDays(1), zone) : null;

    /// <summary>When a member last active at <paramref name="lastActivityAt"/> loses everything, by the same measure.</summary>
    public static DateTimeOffset? InactivityDeadline(DateTimeOffset? lastActivityAt, int? months, TimeZoneInfo zone) =>
        lastActivityAt is { } last ? LotExpiresAt(last, months, zone) : null;

    /// <summary>
    /// The set-based form of <see cref="InactivityDeadline"/>: at <paramref name="now"/>, exactly the members whose last
    /// activity is before the returned instant are past their deadline (the deadline only grows with the last activity).
    /// </summary>
    public static DateTimeOffset InactiveBefore(DateTimeOffset now, int months, TimeZoneInfo zone)
    {
        var today = ActivityRules.LocalDate(now, zone);
        // The first local day whose deadline is still ahead; AddMonths clamps month ends, so step forward from the estimate.
        var day = today.AddMonths(-months).AddDays(-3);
        while (StartOfDay(day.AddMonths(months).AddDays(1), zone) <= now)
            day = day.AddDays(1);
        return StartOfDay(day, zone);
    }

    /// <summary>
    /// The warning a lot date at <paramref name="expiresAt"/> is due at <paramref name="now"/>: the smallest threshold
    /// whose days it is within. A run that comes late sends only the nearest warning, never a stale 30-day one after the 7-day.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) WarningWindow(int index, DateTimeOffset now)
    {
        var to = now.AddDays(Warnings[index].Days);
        var from = index + 1 < Warnings.Count ? now.AddDays(Warnings[index + 1].Days) : now;
        return (from, to);
    }

    /// <summary>The index in <see cref="Warnings"/> of the warning due at <paramref name="now"/> for points lapsing at <paramref name="date"/>; null: none.</summary>
    public static int? WarningFor(DateTimeOffset date, DateTimeOffset now)
    {
        for (var i = 0; i < Warnings.Count; i++)
        {
            var (from, to) = WarningWindow(i, now);
            if (date > from && date <= to)
                return i;
        }
        return null;
    }

    /// <summary>The instant a local day starts (a day starting in a DST gap starts when the gap ends).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
