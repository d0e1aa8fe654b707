using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>
/// A tier definition. <see cref="Threshold"/> is an amount of the program's qualifying metric (spend or points earned,
/// <see cref="TierPolicy"/>) within a qualification period; ranks follow thresholds (0 for the lowest). The tier at
/// threshold 0, when there is one, is the entry tier every member holds until they qualify for more.
/// </summary>
public sealed class Tier : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required string Name { get; set; }
    /// <summary>0 for the lowest tier, increasing upward; renumbered from the thresholds on every change.</summary>
    public required int Rank { get; set; }
    /// <summary>Spend (program currency) or points earned in a qualification period that qualifies for the tier.</summary>
    public required decimal Threshold { get; set; }
    /// <summary>Multiplier of points earned on purchases while in the tier, on every channel without its own.</summary>
    public decimal EarningMultiplier { get; set; } = 1m;
    /// <summary>Per-channel multipliers that replace <see cref="EarningMultiplier"/> on that channel; null: the default.</summary>
    public decimal? OnlineMultiplier { get; set; }
    public decimal? PosMultiplier { get; set; }
    public string? Description { get; set; }

    public decimal MultiplierFor(PurchaseChannel channel) => channel switch
    {
        PurchaseChannel.Online => OnlineMultiplier ?? EarningMultiplier,
        PurchaseChannel.Pos => PosMultiplier ?? EarningMultiplier,
        _ => EarningMultiplier,
    };
}
