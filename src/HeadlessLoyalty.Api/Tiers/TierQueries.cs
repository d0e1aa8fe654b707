using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tiers;

public static class TierQueries
{
    /// <summary>The program's tiers, lowest first.</summary>
    public static IQueryable<Tier> All(LoyaltyDbContext db) => db.Tiers.AsNoTracking().OrderBy(t => t.Rank);

    public static async Task<Tier> GetAsync(LoyaltyDbContext db, Guid tierId, CancellationToken ct = default) =>
        await db.Tiers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tierId, ct) ?? throw new TierNotFoundException(tierId.ToString());
}
