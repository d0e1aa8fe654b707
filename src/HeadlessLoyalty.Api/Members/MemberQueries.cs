using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tiers;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Members;

public enum MemberOrder { NumberAscending, NumberDescending, EnrolledNewestFirst, EnrolledOldestFirst, EmailAscending, EmailDescending }

/// <summary>Filters for member lists; every field optional. <see cref="TierId"/> matches the tier members hold.</summary>
public sealed record MemberFilter(MemberStatus? Status = null, string? EmailContains = null, Guid? TierId = null, MemberOrder Order = MemberOrder.NumberAscending);

/// <summary>
/// A member's balance row (null for data from before the ledger) and, unless the read left it out, the member itself.
/// </summary>
public sealed record MemberWithBalance(Guid MemberId, Member? Member, PointsBalance? Balance);

/// <summary>Reads, all within the DbContext's program (the tenant filter applies).</summary>
public static class MemberQueries
{
    // The hottest reads (checkout, POS, storefront: one member and its balance) are compiled once: a LINQ query pays
    // for hashing and funcletizing its expression tree on every run, about as much as the SQL itself here.
    private static readonly CompiledPerModel<Guid> WithBalanceById = new((m, id) => m.Id == id);
    private static readonly CompiledPerModel<string> WithBalanceByEmail = new((m, normalized) => m.NormalizedEmail == normalized);
    private static readonly CompiledPerModel<string> WithBalanceByCode = new((m, code) => m.MemberCode == code);
    private static readonly CompiledPerModel<long> WithBalanceByNumber = new((m, number) => m.MemberNumber == number);

    /// <summary>
    /// The member and its balance in one query. <paramref name="withProfile"/> false reads only the member's id and
    /// the balance (<see cref="MemberWithBalance.Member"/> is null): what a balance widget asks for, without the
    /// member's profile columns.
    /// </summary>
    public static Task<MemberWithBalance?> FindWithBalanceByIdAsync(LoyaltyDbContext db, Guid id, CancellationToken ct = default, bool withProfile = true) =>
        WithBalanceById.RunAsync(db, id, withProfile, ct);

    public static Task<MemberWithBalance?> FindWithBalanceByEmailAsync(LoyaltyDbContext db, string email, CancellationToken ct = default, bool withProfile = true) =>
        WithBalanceByEmail.RunAsync(db, Member.NormalizeEmail(email), withProfile, ct);

    public static Task<MemberWithBalance?> FindWithBalanceByCodeAsync(LoyaltyDbContext db, string code, CancellationToken ct = default, bool withProfile = true) =>
        WithBalanceByCode.RunAsync(db, MemberRules.NormalizeCode(code), withProfile, ct);

    public static Task<MemberWithBalance?> FindWithBalanceByNumberAsync(LoyaltyDbContext db, long number, CancellationToken ct = default, bool withProfile = true) =>
        WithBalanceByNumber.RunAsync(db, number, withProfile, ct);

    /// <summary>
    /// One lookup, compiled in two shapes (with and without the member's columns), once per model (provider): a
    /// compiled query serves one model only, e.g. SQLite and PostgreSQL in one test run.
    /// </summary>
    private sealed class CompiledPerModel<TKey>(Expression<Func<Member, TKey, bool>> match)
    {
        private readonly Expression<Func<LoyaltyDbContext, TKey, Guid, CancellationToken, MemberWithBalance?>> _withProfile =
            WithBalance(match, (m, b) => new MemberWithBalance(m.Id, m, b));
        private readonly Expression<Func<LoyaltyDbContext, TKey, Guid, CancellationToken, MemberWithBalance?>> _balanceOnly =
            WithBalance(match, (m, b) => new MemberWithBalance(m.Id, null, b));
        private readonly ConditionalWeakTable<IModel, Compiled> _compiled = new();

        private sealed record Compiled(
            Func<LoyaltyDbContext, TKey, Guid, CancellationToken, Task<MemberWithBalance?>> WithProfile,
            Func<LoyaltyDbContext, TKey, Guid, CancellationToken, Task<MemberWithBalance?>> BalanceOnly);

        public Task<MemberWithBalance?> RunAsync(LoyaltyDbContext db, TKey key, bool withProfile, CancellationToken ct)
        {
            var compiled = _compiled.GetValue(db.Model, _ => new(EF.CompileAsyncQuery(_withProfile), EF.CompileAsyncQuery(_balanceOnly)));
            return (withProfile ? compiled.WithProfile : compiled.BalanceOnly)(db, key, db.CurrentProgramId, ct);
        }
    }

    /// <summary>
    /// <c>(db, key, programId, ct) =&gt; the member of programId matching key, LEFT JOINed to its balance on the
    /// key, projected by select</c>. (A FirstOrDefault sub-select in the projection would rank every balance of the
    /// program instead.) The tenant filter is written out as a parameter and the query ignores filters: the filter on
    /// Balances would make the join a sub-select, which costs SQLite about a fifth more per read to prepare, and the
    /// balance row is joined on its key, the member's id, so it belongs to the member's program. The program must be a
    /// parameter: the context's CurrentProgramId inside a compiled query is evaluated once and baked into the SQL as a
    /// constant.
    /// </summary>
    private static Expression<Func<LoyaltyDbContext, TKey, Guid, CancellationToken, MemberWithBalance?>> WithBalance<TKey>(
        Expression<Func<Member, TKey, bool>> match, Expression<Func<Member, PointsBalance?, MemberWithBalance>> select)
    {
        var db = Expression.Parameter(typeof(LoyaltyDbContext), "db");
        var key = Expression.Parameter(typeof(TKey), "key");
        var programId = Expression.Parameter(typeof(Guid), "programId");
        var ct = Expression.Parameter(typeof(CancellationToken), "ct");
        Expression<Func<LoyaltyDbContext, Guid, IQueryable<Member>>> members = (context, program) =>
            context.Members.AsNoTracking().IgnoreQueryFilters().Where(m => m.ProgramId == program);
        Expression<Func<LoyaltyDbContext, IQueryable<PointsBalance>>> balances = context => context.Balances.AsNoTracking();
        Expression<Func<Member, Guid>> memberKey = m => m.Id;
        Expression<Func<PointsBalance, Guid>> balanceKey = b => b.MemberId;
        var where = Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(Member)],
            Replace(Replace(members.Body, members.Parameters[0], db), members.Parameters[1], programId),
            Expression.Quote(Expression.Lambda<Func<Member, bool>>(Replace(match.Body, match.Parameters[1], key), match.Parameters[0])));
        var join = Expression.Call(typeof(Queryable), nameof(Queryable.LeftJoin),
            [typeof(Member), typeof(PointsBalance), typeof(Guid), typeof(MemberWithBalance)],
            where, Replace(balances.Body, balances.Parameters[0], db),
            Expression.Quote(memberKey), Expression.Quote(balanceKey), Expression.Quote(select));
        var body = Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [typeof(MemberWithBalance)], join);
        return Expression.Lambda<Func<LoyaltyDbContext, TKey, Guid, CancellationToken, MemberWithBalance?>>(body, db, key, programId, ct);
    }

    private static Expression Replace(Expression body, ParameterExpression parameter, Expression with) =>
        new ParameterReplacer(parameter, with).Visit(body);

    private sealed class ParameterReplacer(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : node;
    }

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
    /// Async only because a tier filter first reads the program's tiers (TIER_NOT_FOUND).
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
            var tiers = TierRules.Ordered(await db.Tiers.AsNoTracking().ToListAsync(ct));
            var tier = tiers.FirstOrDefault(t => t.Id == tierId) ?? throw new TierNotFoundException(tierId.ToString());
            var inTier = TierMembership.HoldersOf(db, tiers, tier);
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
