using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Bench.Host;

public sealed record RawBalance(long Approved, long Pending, long Total);

/// <summary>
/// The baselines GraphQL is measured against, behind the same pipeline (JWT bearer, tenant resolution, request
/// logging), the same roles as <c>Query.member</c>, the request's scoped DbContext and its tenant filter.
/// Only GraphQL itself is missing: request parsing, validation, authorization rule, execution, result serialization.
/// </summary>
internal static class RawBalanceEndpoint
{
    public static void MapRawBalance(this IEndpointRouteBuilder endpoints)
    {
        var raw = endpoints.MapGroup("/raw/members/{id:guid}")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Pos, Roles.Partner, Roles.Service));
        raw.MapGet("/balance", ReadRowAsync);
        raw.MapGet("/balance-like-resolver", ReadLikeResolverAsync);
    }

    /// <summary>The baseline: one balance row, one query (<see cref="MemberQueries.BalanceAsync"/>, AsNoTracking).</summary>
    private static async Task<Results<Ok<RawBalance>, NotFound>> ReadRowAsync(Guid id, LoyaltyDbContext db, CancellationToken ct) =>
        await MemberQueries.BalanceAsync(db, id, ct) is { } balance
            ? TypedResults.Ok(new RawBalance(balance.Approved, balance.Pending, balance.Total))
            : TypedResults.NotFound();

    /// <summary>
    /// Diagnostic: the database work the GraphQL resolvers do for the same query, without GraphQL: <c>Query.member</c>
    /// reads the member's id and its balance row in one compiled query (<see cref="MemberQueries.FindWithBalanceByIdAsync"/>
    /// without the profile, as the selection asks for nothing else) and primes <c>Member.balance</c>'s batch loader with it. The gap between this and <see cref="ReadRowAsync"/> is
    /// the resolvers' data access; the gap to GraphQL is the engine's overhead.
    /// </summary>
    private static async Task<Results<Ok<RawBalance>, NotFound>> ReadLikeResolverAsync(Guid id, LoyaltyDbContext db, CancellationToken ct)
    {
        var row = await MemberQueries.FindWithBalanceByIdAsync(db, id, ct, withProfile: false);
        if (row is null)
            return TypedResults.NotFound();
        var balance = row.Balance;
        return TypedResults.Ok(new RawBalance(balance?.Approved ?? 0, balance?.Pending ?? 0, balance?.Total ?? 0));
    }
}
