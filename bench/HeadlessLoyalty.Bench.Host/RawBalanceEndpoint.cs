using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HeadlessLoyalty.Bench.Host;

public sealed record RawBalance(long Approved, long Pending, long Total);

/// <summary>
/// The baseline GraphQL is measured against: the same balance row, read the way the API reads it
/// (<see cref="MemberQueries.BalanceAsync"/>: the request's scoped DbContext, tenant filter, AsNoTracking), behind the
/// same pipeline (JWT bearer, tenant resolution, request logging) and the same roles as <c>Query.member</c>.
/// Only GraphQL itself is missing: request parsing, validation, authorization rule, execution, result serialization.
/// </summary>
internal static class RawBalanceEndpoint
{
    public static IEndpointConventionBuilder MapRawBalance(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/raw/members/{id:guid}/balance", ReadAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Pos, Roles.Partner, Roles.Service));

    private static async Task<Results<Ok<RawBalance>, NotFound>> ReadAsync(Guid id, LoyaltyDbContext db, CancellationToken ct) =>
        await MemberQueries.BalanceAsync(db, id, ct) is { } balance
            ? TypedResults.Ok(new RawBalance(balance.Approved, balance.Pending, balance.Total))
            : TypedResults.NotFound();
}
