using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.GraphQL.Connections;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Activities;

public static class ActivityFields
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ActivityRuleType>>>>("activityRules")
            .Description("The program's earning activities, by key (admin, pos, partner, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Partner, Roles.Service)
            .ResolveAsync(async c => await ActivityOperations.GetRulesAsync(c.Db(), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<UpsertActivityRulePayloadType>>("upsertActivityRule")
            .Description("Creates or replaces an earning activity by its key (admin). Past awards keep their points.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<UpsertActivityRuleInputType>>("input", "The rule.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<UpsertActivityRuleArgs>("input");
                return await Mutations.RunAsync(
                    async () => new UpsertActivityRuleResult(await ActivityOperations.UpsertRuleAsync(c.Db(), c.Clock(), input.ToInput(), c.CancellationToken), []),
                    errors => new UpsertActivityRuleResult(null, errors));
            });

        mutation.Field<NonNullGraphType<RecordActivityPayloadType>>("recordActivity")
            .Description("Awards a member an activity's points within its limits; idempotent per key, member and reference (admin, pos, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Service)
            .Argument<NonNullGraphType<RecordActivityInputType>>("input", "The activity.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RecordActivityArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var memberId = ResolveContextExtensions.ParseGlobalId(input.MemberId, MemberType.TypeName, "memberId");
                    var payload = await ActivityOperations.RecordAsync(c.Db(), c.Clock(), c.Caller().Actor, new RecordActivityInput(
                        memberId, input.Key, input.Reference, input.OccurredAt is { } at ? ResolveContextExtensions.AsUtc(at) : null), c.CancellationToken);
                    return new RecordActivityResult(payload.Award, payload.Balance, payload.Replayed, []);
                }, errors => new RecordActivityResult(null, null, false, errors));
            });
    }

    /// <summary>The member's activity awards, newest first.</summary>
    public static Task<Connection<ActivityAwardView>> OfMemberAsync(IResolveFieldContext context, Guid memberId)
    {
        var awards = ActivityOperations.OfMember(context.Db(), memberId);
        return context.PageAsync(awards, ActivityAwardView.Of, DefaultPageSize, MaxPageSize);
    }

}
