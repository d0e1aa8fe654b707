using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Purchases;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>A tier's definition as an admin gives it (validated by <see cref="TierRules.Validate"/>).</summary>
public sealed record TierDefinition(
    string Name, decimal Threshold, decimal EarningMultiplier = 1m, decimal? OnlineMultiplier = null, decimal? PosMultiplier = null, string? Description = null);

/// <summary>What the end of a period did to a member's tier.</summary>
public enum TierChange { None, Achieved, Downgraded, Reset }

/// <summary>
/// The pure tier rules: no clock, no database. Tiers are compared by their position in threshold order (the lowest
/// first); a null tier (no entry tier in the program) sits below every tier.
/// </summary>
public static class TierRules
{
    public const int MaxTiers = 20;
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    public const decimal MaxThreshold = 1_000_000_000_000m;
    public const int MaxDecimals = 4;

    /// <summary>Lowest threshold first (ties by rank, so a hand-made table still orders deterministically).</summary>
    public static IReadOnlyList<Tier> Ordered(IEnumerable<Tier> tiers) => tiers.OrderBy(t => t.Threshold).ThenBy(t => t.Rank).ToList();

    /// <summary>The threshold-0 tier every member holds until they qualify for more; null when the lowest tier needs something.</summary>
    public static Tier? Entry(IReadOnlyList<Tier> ordered) => ordered.Count > 0 && ordered[0].Threshold <= 0 ? ordered[0] : null;

    /// <summary>The tier a membership row names; no row, a null tier or a tier since deleted: the entry tier.</summary>
    public static Tier? Held(IReadOnlyList<Tier> ordered, Guid? tierId) =>
        (tierId is { } id ? ordered.FirstOrDefault(t => t.Id == id) : null) ?? Entry(ordered);

    /// <summary>The highest tier whose threshold <paramref name="progress"/> reaches (null below every threshold).</summary>
    public static Tier? Qualified(IReadOnlyList<Tier> ordered, decimal progress) => ordered.LastOrDefault(t => t.Threshold <= progress);

    public static int Position(IReadOnlyList<Tier> ordered, Tier? tier) => tier is null ? -1 : IndexOf(ordered, tier);

    /// <summary>The next tier up (null at the top).</summary>
    public static Tier? Above(IReadOnlyList<Tier> ordered, Tier? tier) => Position(ordered, tier) + 1 is var i && i < ordered.Count ? ordered[i] : null;

    /// <summary>The next tier down (null at the bottom).</summary>
    public static Tier? Below(IReadOnlyList<Tier> ordered, Tier? tier) => Position(ordered, tier) - 1 is var i && i >= 0 ? ordered[i] : null;

    /// <summary>
    /// The tier to hold after a qualifying change that brought the period's metric to <paramref name="progress"/>:
    /// the qualified tier when it is higher (an upgrade happens at once), else the current one (nothing drops mid-period).
    /// </summary>
    public static Tier? AfterQualifyingChange(IReadOnlyList<Tier> ordered, Tier? current, decimal progress) =>
        Qualified(ordered, progress) is var q && Position(ordered, q) > Position(ordered, current) ? q : current;

    /// <summary>
    /// The tier to hold when the period ends with <paramref name="periodProgress"/>. Requalified (the metric reaches the
    /// current tier, or a higher one): that tier, whatever the policy. Otherwise Retain keeps the current tier,
    /// DowngradeOneStep drops one tier, Recompute drops to the tier the metric reaches, Reset drops to the entry tier.
    /// </summary>
    public static Tier? AtPeriodEnd(IReadOnlyList<Tier> ordered, Tier? current, decimal periodProgress, TierPeriodEnd policy)
    {
        var qualified = Qualified(ordered, periodProgress);
        if (Position(ordered, qualified) >= Position(ordered, current))
            return qualified;
        return policy switch
        {
            TierPeriodEnd.Retain => current,
            TierPeriodEnd.DowngradeOneStep => Below(ordered, current),
            TierPeriodEnd.Recompute => qualified,
            _ => Entry(ordered),
        };
    }

    /// <summary>Which event a move from <paramref name="from"/> to <paramref name="to"/> is: up is achieved; down is reset under the Reset policy, else downgraded.</summary>
    public static TierChange Classify(IReadOnlyList<Tier> ordered, Tier? from, Tier? to, TierPeriodEnd policy)
    {
        var (a, b) = (Position(ordered, from), Position(ordered, to));
        if (b > a)
            return TierChange.Achieved;
        if (b < a)
            return policy == TierPeriodEnd.Reset ? TierChange.Reset : TierChange.Downgraded;
        return TierChange.None;
    }

    /// <summary>
    /// Checks a definition against the program's other tiers; returns it trimmed. INVALID_INPUT naming the field: a
    /// name of 1-100 characters not used by another tier, a threshold from 0 to 10^12 with at most 4 decimals not used
    /// by another tier, multipliers from 1 to 100 with at most 4 decimals, a description of at most 1,000 characters.
    /// </summary>
    public static TierDefinition Validate(TierDefinition d, IReadOnlyCollection<Tier> others)
    {
        var name = d.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
            throw new InvalidInputException("name", $"A tier name is 1 to {MaxNameLength} characters.");
        if (others.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidInputException("name", $"Another tier is already named '{name}'.");
        if (d.Threshold is < 0 or > MaxThreshold || decimal.Round(d.Threshold, MaxDecimals) != d.Threshold)
            throw new InvalidInputException("threshold", $"The threshold is between 0 and {MaxThreshold}, with at most {MaxDecimals} decimals.");
        if (others.FirstOrDefault(t => t.Threshold == d.Threshold) is { } same)
            throw new InvalidInputException("threshold", $"Tier '{same.Name}' already has the threshold {Normalize(d.Threshold)}; thresholds order the tiers.");
        CheckMultiplier("earningMultiplier", d.EarningMultiplier);
        if (d.OnlineMultiplier is { } online)
            CheckMultiplier("channelMultipliers", online);
        if (d.PosMultiplier is { } pos)
            CheckMultiplier("channelMultipliers", pos);
        var description = string.IsNullOrWhiteSpace(d.Description) ? null : d.Description.Trim();
        if (description is { Length: > MaxDescriptionLength })
            throw new InvalidInputException("description", $"A description is at most {MaxDescriptionLength} characters.");
        if (others.Count + 1 > MaxTiers)
            throw new InvalidInputException("threshold", $"A program has at most {MaxTiers} tiers.");
        return d with { Name = name, Description = description };
    }

    private static void CheckMultiplier(string field, decimal value)
    {
        if (value < EarningRules.MinMultiplier || value > EarningRules.MaxMultiplier || decimal.Round(value, MaxDecimals) != value)
            throw new InvalidInputException(field, $"A multiplier is between {EarningRules.MinMultiplier} and {EarningRules.MaxMultiplier}, with at most {MaxDecimals} decimals.");
    }

    /// <summary>The same value without trailing zeros (1000.0000 from a decimal(18,4) column reads as 1000).</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    private static int IndexOf(IReadOnlyList<Tier> ordered, Tier tier)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Id == tier.Id)
                return i;
        }
        return -1;
    }
}
