using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.GraphQL.Connections;
using HeadlessLoyalty.GraphQL.DataLoading;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Points;

public static class PointsFields
{
    public const int DefaultHistoryPageSize = 20;
    public const int MaxHistoryPageSize = 100;

    private static BatchLoader<Guid, BalanceView> BalanceLoader(IResolveFieldContext context) =>
        context.BatchLoader<Guid, BalanceView>("Member.balance", async (ids, ct) =>
            (await context.Db().Balances.AsNoTracking().Where(b => ids.Contains(b.MemberId)).ToListAsync(ct))
            .ToDictionary(b => b.MemberId, BalanceView.Of));

    /// <summary>The member's balance through the request's batch loader: one query for every member of a list.</summary>
    public static IDataLoaderResult<BalanceView> LoadBalance(IResolveFieldContext context, Guid memberId) =>
        BalanceLoader(context).LoadAsync(memberId).Then(balance => balance ?? Zero(memberId));

    /// <summary>For the `balance` field: the balance itself when it was read with its member, else a batched load.</summary>
    public static object ResolveBalance(IResolveFieldContext context, Guid memberId) =>
        BalanceLoader(context).TryGetLoaded(memberId, out var balance) ? balance ?? Zero(memberId) : LoadBalance(context, memberId);

    // A member without a row (data from before the ledger) has earned nothing yet.
    private static BalanceView Zero(Guid memberId) => new(memberId, 0, 0, 0, 0, 0, default, 0);

    /// <summary>Hands the loader a balance read together with its member, so asking for it costs no query.</summary>
    public static void PrimeBalance(IResolveFieldContext context, PointsBalance balance) =>
        BalanceLoader(context).Prime(balance.MemberId, BalanceView.Of(balance));

    public static Task<Connection<LedgerEntryView>> HistoryAsync(IResolveFieldContext context, Guid memberId)
    {
        var args = context.GetArgument<HistoryFilterArgs?>("filter");
        var history = LedgerQueries.History(context.Db(), memberId, new HistoryFilter(
            Kinds: args?.Kinds,
            From: args?.From is { } from ? ResolveContextExtensions.AsUtc(from) : null,
            To: args?.To is { } to ? ResolveContextExtensions.AsUtc(to) : null));
        return context.PageAsync(history, LedgerEntryView.Of, DefaultHistoryPageSize, MaxHistoryPageSize);
    }


    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AdjustPointsPayloadType>>("adjustPoints")
            .Description("Credits or debits points by hand (admin, service); `allowNegative` is for admins only.")
            .AuthorizeWithRoles(Roles.Admin, Roles.Service)
            .Argument<NonNullGraphType<AdjustPointsInputType>>("input", "The change.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<AdjustPointsArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var caller = c.Caller();
                    if (input.AllowNegative && !caller.IsInRole(Roles.Admin))
                        return new AdjustPointsResult(null, null, null,
                            [new(ErrorCodes.Forbidden, "Only admins may allow a negative balance.", "allowNegative")]);
                    var id = ResolveContextExtensions.ParseGlobalId(input.MemberId, MemberType.TypeName, "memberId");
                    var db = c.Db();
                    var payload = await PointsOperations.AdjustAsync(db, c.Clock(), caller.Actor,
                        new AdjustPointsInput(id, input.Points, input.Reason, input.AllowNegative), input.IdempotencyKey, c.CancellationToken);
                    var member = await MemberQueries.GetAsync(db, id, c.CancellationToken);
                    return new AdjustPointsResult(MemberView.Of(member), payload.Entry, payload.Balance, []);
                }, errors => new AdjustPointsResult(null, null, null, errors));
            });
    }
}
