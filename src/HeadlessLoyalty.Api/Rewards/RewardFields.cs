using GraphQL;
using GraphQL.DataLoader;
using HeadlessLoyalty.GraphQL.DataLoading;
using GraphQL.Types;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.GraphQL.Connections;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Rewards;

public static class RewardFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<RewardType>>>>("rewards")
            .Description("The program's rewards, cheapest first (every role).")
            .AuthorizeWithRoles(Roles.All.ToArray())
            .ResolveAsync(async c => await RewardOperations.ListAsync(c.Db(), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RewardPayloadType>>("createReward")
            .Description("Defines a reward (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<RewardInputType>>("input", "The definition.")
            .ResolveAsync(async c => await Mutations.RunAsync(
                async () => new RewardResult(await RewardOperations.CreateAsync(c.Db(), c.Clock(), c.GetArgument<RewardArgs>("input").ToDefinition(), c.CancellationToken), []),
                errors => new RewardResult(null, errors)));

        mutation.Field<NonNullGraphType<RewardPayloadType>>("updateReward")
            .Description("Replaces a reward's definition (admin); coupons already issued keep their value.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<IdGraphType>>("id", "Global id of the reward.")
            .Argument<NonNullGraphType<RewardInputType>>("input", "The new definition.")
            .ResolveAsync(async c => await Mutations.RunAsync(async () =>
            {
                var id = ResolveContextExtensions.ParseGlobalId(c.GetArgument<string>("id"), RewardType.TypeName, "id");
                return new RewardResult(await RewardOperations.UpdateAsync(c.Db(), c.Clock(), id, c.GetArgument<RewardArgs>("input").ToDefinition(), c.CancellationToken), []);
            }, errors => new RewardResult(null, errors)));

        mutation.Field<NonNullGraphType<RedeemCouponPayloadType>>("redeemCoupon")
            .Description("Spends points on a reward and issues its coupon in one step (admin, pos, storefront for its own member, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Storefront, Roles.Service)
            .Argument<NonNullGraphType<RedeemCouponInputType>>("input", "The redemption.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RedeemCouponArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var db = c.Db();
                    var memberId = await MemberIdAsync(c, db, input.Member);
                    var rewardId = ResolveContextExtensions.ParseGlobalId(input.RewardId, RewardType.TypeName, "rewardId");
                    // The store side, when a store connection registers one (IStoreCoupons); else the coupon lives here only.
                    var stores = c.RequestServices?.GetService<IStoreCoupons>();
                    var payload = await RewardOperations.RedeemAsync(db, c.Clock(), c.Caller().Actor, new RedeemInput(memberId, rewardId, input.Points), input.IdempotencyKey, c.CancellationToken, stores,
                        c.RequestServices?.GetService<ILogger<IStoreCoupons>>());
                    return new RedeemCouponResult(payload.Coupon, payload.Balance, []);
                }, errors => new RedeemCouponResult(null, null, errors));
            });
    }

    /// <summary>
    /// The member a redemption is for: a storefront token's own member (naming another one finds none), else the
    /// member named by exactly one of id, email, member code or number.
    /// </summary>
    internal static async Task<Guid> MemberIdAsync(IResolveFieldContext c, Data.LoyaltyDbContext db, MemberLookupArgs? by)
    {
        var caller = c.Caller();
        var storefront = caller.IsInRole(Roles.Storefront) && !caller.Roles.Any(r => r != Roles.Storefront);
        if (by is null)
            return storefront && caller.MemberId is { } own ? own : throw new InvalidInputException("member", "Name the member by id, email, code or number.");
        by.RequireExactlyOne("member");
        var member = by switch
        {
            { Id: { } id } => await MemberQueries.FindByIdAsync(db, ResolveContextExtensions.ParseGlobalId(id, MemberType.TypeName, "member.id"), c.CancellationToken),
            { Email: { } email } => await MemberQueries.FindByEmailAsync(db, email, c.CancellationToken),
            { Code: { } code } => await MemberQueries.FindByCodeAsync(db, code, c.CancellationToken),
            _ => await MemberQueries.FindByNumberAsync(db, by.Number!.Value, c.CancellationToken),
        };
        if (member is null || (storefront && member.Id != caller.MemberId))
            throw new MemberNotFoundException(by.Id ?? by.Email ?? by.Code ?? by.Number?.ToString() ?? "");
        return member.Id;
    }

    /// <summary>Coupons claimed and used by the member, batched: one query for every member of a page.</summary>
    public static IDataLoaderResult<(int Claimed, int Used)> LoadCounts(IResolveFieldContext context, Guid memberId) =>
        context.BatchLoader<Guid, (int Claimed, int Used)>("Member.rewardCounts", async (ids, ct) =>
            await RewardOperations.CountsAsync(context.Db(), ids, ct)).LoadAsync(memberId);

    public static Task<Connection<CouponView>> CouponsAsync(IResolveFieldContext context, Guid memberId)
    {
        var coupons = RewardOperations.CouponsOf(context.Db(), memberId);
        return context.PageAsync(coupons, CouponView.Of, 20, 100);
    }
}
