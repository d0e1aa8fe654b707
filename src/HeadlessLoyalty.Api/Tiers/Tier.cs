using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>A tier definition. Tiers are ordered by <see cref="Rank"/>; a member holds the highest tier whose threshold they reach.</summary>
public sealed class Tier : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required string Name { get; set; }
    /// <summary>0 for the entry tier, increasing upward.</summary>
    public required int Rank { get; set; }
    /// <summary>Lifetime points needed (the engine issue replaces this with qualifying metrics and periods).</summary>
    public required long Threshold { get; set; }
    public decimal EarningMultiplier { get; set; } = 1m;
    public string? Description { get; set; }
}
