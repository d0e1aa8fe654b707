using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tiers;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Members;

public enum MemberOrder { NumberAscending, NumberDescending, EnrolledNewestFirst, EnrolledOldestFirst, EmailAscending, EmailDescending }

/// <summary>Filters for member lists; every field optional. <see cref="TierId"/> matches on lifetime points.</summary>
public sealed record MemberFilter(MemberStatus? Status = null, string? EmailContains = null, Guid? TierId = null, MemberOrder Order = MemberOrder.NumberAscending);

/// <summary>Reads, all within the DbContext's program (the tenant filter applies).</summary>
public static class MemberQueries
{
    public static Task<Member?> FindByIdAsync(LoyaltyDbContext db, Guid id, CancellationToken ct = default) =>
        db.Members.FirstOrDefaultAsync(m => m.Id == id, ct);

    public static Task<Member?> FindByEmailAsync(LoyaltyDbContext db, string email, CancellationToken ct = default)
    {
        var normalized = Member.NormalizeEmail(email);
        return db.Members.FirstOrDefaultAsync(m => m.NormalizedEmail == normalized, ct);
    }

    public static Task<Member?> FindByCodeAsync(LoyaltyDbContext db, string code, CancellationToken ct = default)
    {
        var normalized = MemberRules.NormalizeCode(code);
        return db.Members.FirstOrDefaultAsync(m => m.MemberCode == normalized, ct);
    }

    public static Task<Member?> FindByNumberAsync(LoyaltyDbContext db, long number, CancellationToken ct = default) =>
        db.Members.FirstOrDefaultAsync(m => m.MemberNumber == number, ct);

    /// <summary>The member or MEMBER_NOT_FOUND (also for another program's member: the filter hides it).</summary>
    public static async Task<Member> GetAsync(LoyaltyDbContext db, Guid id, CancellationToken ct = default) =>
        await FindByIdAsync(db, id, ct) ?? throw new MemberNotFoundException(id.ToString());

    /// <summary>
    /// An ordered, filtered query a connection can page over (it stays an IQueryable: Skip/Take/Count run in SQL).
    /// Async only because a tier filter first resolves the tier's lifetime-points range (TIER_NOT_FOUND).
    /// </summary>
    public static async Task<IQueryable<Member>> ListAsync(LoyaltyDbContext db, MemberFilter filter, CancellationToken ct = default)
    {
        IQueryable<Member> q = db.Members.AsNoTracking();
        if (filter.Status is { } status)
            q = q.Where(m => m.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.EmailContains))
        {
            var part = Member.NormalizeEmail(filter.EmailContains);
            q = q.Where(m => m.NormalizedEmail.Contains(part));
        }
        if (filter.TierId is { } tierId)
        {
            var tiers = await db.Tiers.AsNoTracking().ToListAsync(ct);
            var tier = tiers.FirstOrDefault(t => t.Id == tierId) ?? throw new TierNotFoundException(tierId.ToString());
            var (from, to) = TierRules.Range(tiers, tier);
            var inTier = db.Balances.Where(b => b.Lifetime >= from && (to == null || b.Lifetime < to)).Select(b => b.MemberId);
            q = q.Where(m => inTier.Contains(m.Id));
        }
        return filter.Order switch
        {
            MemberOrder.NumberDescending => q.OrderByDescending(m => m.MemberNumber),
            MemberOrder.EnrolledNewestFirst => q.OrderByDescending(m => m.EnrolledAt).ThenByDescending(m => m.MemberNumber),
            MemberOrder.EnrolledOldestFirst => q.OrderBy(m => m.EnrolledAt).ThenBy(m => m.MemberNumber),
            MemberOrder.EmailAscending => q.OrderBy(m => m.NormalizedEmail),
            MemberOrder.EmailDescending => q.OrderByDescending(m => m.NormalizedEmail),
            _ => q.OrderBy(m => m.MemberNumber),
        };
    }

    public static Task<PointsBalance?> BalanceAsync(LoyaltyDbContext db, Guid memberId, CancellationToken ct = default) =>
        db.Balances.AsNoTracking().FirstOrDefaultAsync(b => b.MemberId == memberId, ct);
}
