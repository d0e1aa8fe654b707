using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Segments;

/// <summary>Insights segments from purchase recency and frequency (the names merchants' email tools expect).</summary>
public enum Segment { Loyal, AtRisk, WinBack }

/// <summary>
/// A program's segment thresholds. Defaults: Loyal = at least 3 purchases in the last 180 days; At Risk = no
/// purchase for 90 days; Win Back = no purchase for 180 days.
/// </summary>
public sealed record SegmentSettings(int LoyalMinPurchases = 3, int LoyalWindowDays = 180, int AtRiskAfterDays = 90, int WinBackAfterDays = 180)
{
    public static SegmentSettings Default { get; } = new();
}

/// <summary>The stored thresholds of a program (none stored: <see cref="SegmentSettings.Default"/>).</summary>
public sealed class ProgramSegmentRules : ITenantOwned
{
    public Guid ProgramId { get; set; }
    public int LoyalMinPurchases { get; set; }
    public int LoyalWindowDays { get; set; }
    public int AtRiskAfterDays { get; set; }
    public int WinBackAfterDays { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public SegmentSettings ToSettings() => new(LoyalMinPurchases, LoyalWindowDays, AtRiskAfterDays, WinBackAfterDays);
}

/// <summary>What a member's purchases say, as the segment rule needs it: fully refunded purchases do not count.</summary>
public sealed record PurchaseActivity(int PurchasesInLoyalWindow, DateTimeOffset? LastPurchaseAt);

/// <summary>Pure: no clock, no database.</summary>
public static class SegmentRules
{
    public const int MaxDays = 3650;

    public static void Validate(SegmentSettings s)
    {
        if (s.LoyalMinPurchases is < 1 or > 1000)
            throw new InvalidInputException("loyalMinPurchases", "Loyal needs between 1 and 1,000 purchases.");
        if (s.LoyalWindowDays is < 1 or > MaxDays)
            throw new InvalidInputException("loyalWindowDays", $"The loyal window is 1 to {MaxDays} days.");
        if (s.AtRiskAfterDays is < 1 or > MaxDays)
            throw new InvalidInputException("atRiskAfterDays", $"At Risk starts after 1 to {MaxDays} days without a purchase.");
        if (s.WinBackAfterDays <= s.AtRiskAfterDays || s.WinBackAfterDays > MaxDays)
            throw new InvalidInputException("winBackAfterDays", "Win Back starts later than At Risk, within 10 years.");
    }

    /// <summary>
    /// No purchase yet: no segment. Then, by the time since the last purchase: Win Back, else At Risk; a recent buyer
    /// with enough purchases in the loyal window is Loyal; any other recent buyer has no segment yet.
    /// </summary>
    public static Segment? Classify(PurchaseActivity activity, DateTimeOffset now, SegmentSettings s)
    {
        if (activity.LastPurchaseAt is not { } last)
            return null;
        var idle = now - last;
        if (idle >= TimeSpan.FromDays(s.WinBackAfterDays))
            return Segment.WinBack;
        if (idle >= TimeSpan.FromDays(s.AtRiskAfterDays))
            return Segment.AtRisk;
        return activity.PurchasesInLoyalWindow >= s.LoyalMinPurchases ? Segment.Loyal : null;
    }
}
