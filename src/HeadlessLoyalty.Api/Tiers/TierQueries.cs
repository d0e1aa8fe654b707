using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tiers;

public static class TierQueries
{
    /// <summary>The program's tiers, lowest first.</summary>
    public static IQueryable<Tier> All(LoyaltyDbContext db) => db.Tiers.AsNoTracking().OrderBy(t => t.Rank);

    public static async Task<Tier> GetAsync(LoyaltyDbContext db, Guid tierId, CancellationToken ct = default) =>
        await db.Tiers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tierId, ct) ?? throw new TierNotFoundException(tierId.ToString());

    /// <summary>The member's current and next tier from their lifetime points (MEMBER_NOT_FOUND if not in the program).</summary>
    public static async Task<TierStanding> StandingAsync(LoyaltyDbContext db, Guid memberId, CancellationToken ct = default)
    {
        var member = await MemberQueries.GetAsync(db, memberId, ct);
        var lifetime = (await MemberQueries.BalanceAsync(db, member.Id, ct))?.Lifetime ?? 0;
        return TierRules.Evaluate(await db.Tiers.AsNoTracking().ToListAsync(ct), lifetime);
    }
}
