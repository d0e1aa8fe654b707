using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tiers;
using HeadlessLoyalty.GraphQL.Connections;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Members;

/// <summary>The member root fields. Resolvers only orchestrate: parse, call the operation, shape the payload.</summary>
public static class MemberFields
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<MemberType>("me")
            .Description("The member a storefront token names (storefront only); null if that member no longer exists.")
            .AuthorizeWithRoles(Roles.Storefront)
            .ResolveAsync(async c => c.Caller().MemberId is { } id
                ? Read(c, await MemberQueries.FindWithBalanceByIdAsync(c.Db(), id, c.CancellationToken, NeedsProfile(c)))
                : null);

        query.Field<MemberType>("member")
            .Description("One member of the program by exactly one of id, email, code or number (else INVALID_INPUT); null when none matches.")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Partner, Roles.Service)
            .Argument<NonNullGraphType<MemberLookupInputType>>("by", "How to find the member.")
            .ResolveAsync(async c => await ResolveContextExtensions.QueryAsync(() => FindAsync(c, c.GetArgument<MemberLookupArgs>("by"))));

        query.Field<NonNullGraphType<ConnectionGraphType<MemberType, MemberView>>>("members")
            .Description($"Members of the program, paged (`first` defaults to {DefaultPageSize}, at most {MaxPageSize}).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Partner, Roles.Service)
            .Argument<IntGraphType>("first", "Members after `after`.")
            .Argument<StringGraphType>("after", "Cursor to start after.")
            .Argument<IntGraphType>("last", "Members before `before`.")
            .Argument<StringGraphType>("before", "Cursor to end before.")
            .Argument<MemberFilterInputType>("filter", "Restricts the list.")
            .Argument<MemberOrderType>("order", "Order of the list.", a => a.DefaultValue = MemberOrder.NumberAscending)
            .ResolveAsync(async c => await ResolveContextExtensions.QueryAsync(async () =>
            {
                var args = c.GetArgument<MemberFilterArgs?>("filter");
                var filter = new MemberFilter(
                    args?.Status,
                    args?.EmailContains,
                    args?.TierId is { } tierId ? ResolveContextExtensions.QueryGlobalId(tierId, TierType.TypeName) : null,
                    c.GetArgument("order", MemberOrder.NumberAscending));
                var members = await MemberQueries.ListAsync(c.Db(), filter, c.CancellationToken);
                return await c.PageAsync(members, MemberView.Of, DefaultPageSize, MaxPageSize);
            }));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<EnrollMemberPayloadType>>("enrollMember")
            .Description("Enrolls a member with a zero balance (admin, pos, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Service)
            .Argument<NonNullGraphType<EnrollMemberInputType>>("input", "The new member.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<EnrollMemberArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var payload = await MemberOperations.EnrollAsync(c.Db(), c.Clock(), c.Caller().Actor,
                        new EnrollMemberInput(input.Email, input.FirstName, input.LastName, input.Phone,
                            input.Birthday?.Month, input.Birthday?.Day, input.Birthday?.Year,
                            input.ExternalIds?.Select(x => new ExternalIdInput(x.Store, x.ExternalId)).ToList(), input.ReferralCode),
                        input.IdempotencyKey, c.CancellationToken);
                    return MemberMutationResult.Of(payload.Member);
                }, MemberMutationResult.Refused);
            });

        mutation.Field<NonNullGraphType<UpdateMemberPayloadType>>("updateMember")
            .Description("Changes a member's profile (admin, pos, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Service)
            .Argument<NonNullGraphType<UpdateMemberInputType>>("input", "What to change.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<UpdateMemberArgs>("input");
                // Absent and null differ here: only an explicit `birthday: null` clears the birthday.
                var clearBirthday = input.Birthday is null
                    && c.Arguments?["input"].Value is IDictionary<string, object?> raw && raw.TryGetValue("birthday", out var given) && given is null;
                return await ChangeAsync(input.MemberId, id => MemberOperations.UpdateAsync(c.Db(), c.Clock(), c.Caller().Actor,
                    new UpdateMemberInput(id, input.Email, input.FirstName, input.LastName, input.Phone,
                        input.Birthday?.Month, input.Birthday?.Day, input.Birthday?.Year, clearBirthday),
                    input.IdempotencyKey, c.CancellationToken));
            });

        mutation.Field<NonNullGraphType<BlockMemberPayloadType>>("blockMember")
            .Description("Blocks a member from earning and spending (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<BlockMemberInputType>>("input", "The member to block.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<BlockMemberArgs>("input");
                return await ChangeAsync(input.MemberId, async id =>
                {
                    var payload = await MemberOperations.BlockAsync(c.Db(), c.Clock(), c.Caller().Actor, id, c.CancellationToken);
                    c.RequestServices!.GetRequiredService<ILogger<MemberType>>()
                        .LogInformation("Member {MemberId} blocked by {Actor}: {Reason}", id, c.Caller().Actor, input.Reason ?? "(no reason given)");
                    return payload;
                });
            });

        mutation.Field<NonNullGraphType<UnblockMemberPayloadType>>("unblockMember")
            .Description("Lets a blocked member earn and spend again (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<UnblockMemberInputType>>("input", "The member to unblock.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<UnblockMemberArgs>("input");
                return await ChangeAsync(input.MemberId, id => MemberOperations.UnblockAsync(c.Db(), c.Clock(), c.Caller().Actor, id, c.CancellationToken));
            });
    }

    /// <summary>A change to an existing member named by its global id (a malformed id is INVALID_INPUT on memberId).</summary>
    private static Task<MemberMutationResult> ChangeAsync(string memberId, Func<Guid, Task<MemberPayload>> change) =>
        Mutations.RunAsync(
            async () => MemberMutationResult.Of((await change(ResolveContextExtensions.ParseGlobalId(memberId, MemberType.TypeName, "memberId"))).Member),
            MemberMutationResult.Refused);

    private static async Task<MemberView?> FindAsync(IResolveFieldContext c, MemberLookupArgs by)
    {
        by.RequireExactlyOne("by");
        var db = c.Db();
        var profile = NeedsProfile(c);
        var found = by switch
        {
            { Id: { } id } => await MemberQueries.FindWithBalanceByIdAsync(db, ResolveContextExtensions.QueryGlobalId(id, MemberType.TypeName), c.CancellationToken, profile),
            { Email: { } email } => await MemberQueries.FindWithBalanceByEmailAsync(db, email, c.CancellationToken, profile),
            { Code: { } code } => await MemberQueries.FindWithBalanceByCodeAsync(db, code, c.CancellationToken, profile),
            _ => await MemberQueries.FindWithBalanceByNumberAsync(db, by.Number!.Value, c.CancellationToken, profile),
        };
        return Read(c, found);
    }

    // Member fields answered from the member's id and balance alone.
    private static readonly HashSet<string> BalanceOnlyFields = ["id", "balance", "__typename"];

    /// <summary>
    /// Whether the selection (fragments and skip/include applied) asks for anything beyond the id and the balance: a
    /// balance widget's <c>member { balance { ... } }</c> then skips the member's profile columns.
    /// </summary>
    private static bool NeedsProfile(IResolveFieldContext c) =>
        c.SubFields is not { } selected || selected.Values.Any(f => !BalanceOnlyFields.Contains(f.FieldType.Name));

    /// <summary>
    /// The member read with its balance; the balance goes to the batch loader for the `balance` field. A read without
    /// the profile (see <see cref="NeedsProfile"/>) gives a view that only its id and balance may be read from.
    /// </summary>
    private static MemberView? Read(IResolveFieldContext c, MemberWithBalance? found)
    {
        if (found is null)
            return null;
        if (found.Balance is { } balance)
            PointsFields.PrimeBalance(c, balance);
        return found.Member is { } member ? MemberView.Of(member) : MemberView.KeyOnly(found.MemberId);
    }
}
