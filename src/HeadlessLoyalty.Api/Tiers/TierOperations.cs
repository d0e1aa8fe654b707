using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tiers;

/// <summary>
/// The admin side of tiers: the program's policy and its tier definitions. Ranks follow thresholds and are renumbered
/// on every change, so "one step down" always means the next lower threshold.
/// </summary>
public static class TierOperations
{
    public static Task<TierPolicy> GetPolicyAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        db.TierPolicies.ReadOrDefaultAsync(p => p.ToPolicy(), TierPolicy.Default, ct);

    /// <summary>
    /// Replaces the policy. Members keep the tier and expiry they hold; the next tier run upgrades those the new metric
    /// or period qualifies for more, and the new period-end policy applies at each member's next expiry.
    /// </summary>
    public static Task<TierPolicy> UpdatePolicyAsync(LoyaltyDbContext db, TimeProvider clock, TierPolicy policy, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(policy.Metric))
            throw new InvalidInputException("metric", "Unknown metric.");
        if (!Enum.IsDefined(policy.Period))
            throw new InvalidInputException("qualificationPeriod", "Unknown qualification period.");
        if (!Enum.IsDefined(policy.PeriodEnd))
            throw new InvalidInputException("periodEnd", "Unknown period-end policy.");
        return WriteTransaction.RunAsync(db, async token =>
        {
            var row = await PolicyRowAsync(db, clock, token);
            (row.Metric, row.Period, row.PeriodEnd) = (policy.Metric, policy.Period, policy.PeriodEnd);
            return policy;
        }, ct);
    }

    /// <summary>
    /// The tracked policy row (added with the defaults when the program has none), marked changed now: the next tier
    /// run upgrades every member who qualifies for more under the new definitions (<see cref="TierEvaluation"/>).
    /// </summary>
    private static async Task<ProgramTierPolicy> PolicyRowAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var d = TierPolicy.Default;
        var row = await db.TierPolicies.TrackedOrNewAsync(() => new ProgramTierPolicy { Metric = d.Metric, Period = d.Period, PeriodEnd = d.PeriodEnd }, ct);
        row.UpdatedAt = clock.GetUtcNow();
        row.DefinitionsVersion++;
        return row;
    }

    public static Task<Tier> CreateAsync(LoyaltyDbContext db, TimeProvider clock, TierDefinition definition, CancellationToken ct = default) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var tiers = await db.Tiers.ToListAsync(token);
            var valid = TierRules.Validate(definition, tiers);
            var tier = new Tier { Id = Guid.CreateVersion7(clock.GetUtcNow()), Name = valid.Name, Rank = 0, Threshold = valid.Threshold };
            Apply(tier, valid);
            db.Tiers.Add(tier);
            Renumber([.. tiers, tier]);
            await PolicyRowAsync(db, clock, token);
            return tier;
        }, ct);

    /// <summary>Replaces a tier's definition (TIER_NOT_FOUND, INVALID_INPUT). Members keep holding it; the next tier run upgrades those a lower threshold now qualifies.</summary>
    public static Task<Tier> UpdateAsync(LoyaltyDbContext db, TimeProvider clock, Guid tierId, TierDefinition definition, CancellationToken ct = default) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var tiers = await db.Tiers.ToListAsync(token);
            var tier = tiers.FirstOrDefault(t => t.Id == tierId) ?? throw new TierNotFoundException(tierId.ToString());
            var valid = TierRules.Validate(definition, tiers.Where(t => t.Id != tierId).ToList());
            Apply(tier, valid);
            Renumber(tiers);
            await PolicyRowAsync(db, clock, token);
            return tier;
        }, ct);

    /// <summary>Deletes a tier nobody holds (TIER_IN_USE otherwise; members at the entry tier do not hold it in this sense).</summary>
    public static Task<Guid> DeleteAsync(LoyaltyDbContext db, TimeProvider clock, Guid tierId, CancellationToken ct = default) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var tiers = await db.Tiers.ToListAsync(token);
            var tier = tiers.FirstOrDefault(t => t.Id == tierId) ?? throw new TierNotFoundException(tierId.ToString());
            var holders = await db.MemberTiers.CountAsync(m => m.TierId == tierId, token);
            if (holders > 0)
                throw new TierInUseException(tier.Name, holders);
            db.Tiers.Remove(tier);
            Renumber(tiers.Where(t => t.Id != tierId).ToList());
            await PolicyRowAsync(db, clock, token);
            return tierId;
        }, ct);

    private static void Apply(Tier tier, TierDefinition d)
    {
        tier.Name = d.Name;
        tier.Threshold = d.Threshold;
        tier.EarningMultiplier = d.EarningMultiplier;
        tier.OnlineMultiplier = d.OnlineMultiplier;
        tier.PosMultiplier = d.PosMultiplier;
        tier.Description = d.Description;
    }

    private static void Renumber(IReadOnlyList<Tier> tiers)
    {
        var ordered = TierRules.Ordered(tiers);
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Rank != i)
                ordered[i].Rank = i;
        }
    }
}
