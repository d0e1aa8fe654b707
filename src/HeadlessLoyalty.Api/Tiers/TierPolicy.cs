using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>What qualifies for a tier: spend in the program's currency (any channel, refunds deducted) or points earned.</summary>
public enum TierMetric { Spend, PointsEarned }

/// <summary>
/// The window the metric is counted over: the calendar year of the program's time zone, the last 12 months, or the
/// member's membership year (from the anniversary of enrolment).
/// </summary>
public enum TierPeriod { CalendarYear, Rolling12Months, MembershipAnniversary }

/// <summary>
/// What happens to a member who did not requalify for their tier by the end of its period (a member who did keeps it
/// for the next period under every policy): keep it anyway, drop one tier, drop to the tier the period's metric
/// reaches, or drop to the entry tier.
/// </summary>
public enum TierPeriodEnd { Retain, DowngradeOneStep, Recompute, Reset }

/// <summary>A program's tier policy. Default: points earned in the calendar year, recomputed at the year's end.</summary>
public sealed record TierPolicy(
    TierMetric Metric = TierMetric.PointsEarned, TierPeriod Period = TierPeriod.CalendarYear, TierPeriodEnd PeriodEnd = TierPeriodEnd.Recompute)
{
    public static TierPolicy Default { get; } = new();
}

/// <summary>The stored policy of a program (none stored: <see cref="TierPolicy.Default"/>).</summary>
public sealed class ProgramTierPolicy : ITenantOwned
{
    public Guid ProgramId { get; set; }
    public TierMetric Metric { get; set; }
    public TierPeriod Period { get; set; }
    public TierPeriodEnd PeriodEnd { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Counts changes of the policy and of tier definitions: after one, members may qualify for more than they hold.</summary>
    public long DefinitionsVersion { get; set; }
    /// <summary>The <see cref="DefinitionsVersion"/> the tier run last upgraded every member against; behind it, a sweep is due.</summary>
    public long SweptVersion { get; set; }

    public TierPolicy ToPolicy() => new(Metric, Period, PeriodEnd);
}
