using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.GraphQL.DataLoading;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tiers;

public static class TierFields
{
    /// <summary>The program's tiers, lowest first, read once per request whatever the number of members asking.</summary>
    public static IDataLoaderResult<IReadOnlyList<Tier>> LoadTiers(IResolveFieldContext context) =>
        context.BatchLoader<bool, IReadOnlyList<Tier>>("Program.tiers", async (_, ct) =>
                new Dictionary<bool, IReadOnlyList<Tier>> { [true] = await TierQueries.All(context.Db()).ToListAsync(ct) })
            .LoadAsync(true)
            .Then(tiers => tiers ?? []);

    /// <summary>The member's tier status, batched: a page of members costs the same five queries as one member.</summary>
    public static IDataLoaderResult<TierStatus?> LoadStatus(IResolveFieldContext context, Guid memberId, DateTimeOffset enrolledAt) =>
        context.BatchLoader<(Guid Id, DateTimeOffset EnrolledAt), TierStatus?>("Member.tier", async (keys, ct) =>
        {
            var statuses = await TierMembership.StatusesAsync(context.Db(), context.Clock(), keys, ct);
            return keys.Distinct().ToDictionary(k => k, k => (TierStatus?)statuses[k.Id]);
        }).LoadAsync((memberId, enrolledAt));

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TierType>>>>("tiers")
            .Description("The program's tiers, lowest first (every role).")
            .AuthorizeWithRoles(Roles.All.ToArray())
            .Resolve(c => LoadTiers(c));

        query.Field<NonNullGraphType<TierPolicyType>>("tierPolicy")
            .Description("How members qualify for tiers and what happens at a period's end (every role).")
            .AuthorizeWithRoles(Roles.All.ToArray())
            .ResolveAsync(async c => await TierOperations.GetPolicyAsync(c.Db(), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<UpdateTierPolicyPayloadType>>("updateTierPolicy")
            .Description("Changes the tier policy (admin). Members keep their tier until its period ends; the next `tiers` job run upgrades members the new rules qualify for more.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<TierPolicyInputType>>("input", "The changes.")
            .ResolveAsync(async c => await Mutations.RunAsync(async () =>
            {
                var db = c.Db();
                var current = await TierOperations.GetPolicyAsync(db, c.CancellationToken);
                var policy = c.GetArgument<TierPolicyArgs>("input").ApplyTo(current);
                return new UpdateTierPolicyResult(await TierOperations.UpdatePolicyAsync(db, c.Clock(), policy, c.CancellationToken), []);
            }, errors => new UpdateTierPolicyResult(null, errors)));

        mutation.Field<NonNullGraphType<TierPayloadType>>("createTier")
            .Description("Adds a tier (admin); ranks follow thresholds.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<CreateTierInputType>>("input", "The new tier.")
            .ResolveAsync(async c => await Mutations.RunAsync(
                async () => new TierResult(await TierOperations.CreateAsync(c.Db(), c.Clock(), c.GetArgument<TierArgs>("input").ToDefinition(null), c.CancellationToken), []),
                errors => new TierResult(null, errors)));

        mutation.Field<NonNullGraphType<TierPayloadType>>("updateTier")
            .Description("Changes a tier (admin); members holding it keep it, and the next `tiers` job run upgrades members a lower threshold now qualifies.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<UpdateTierInputType>>("input", "The changes.")
            .ResolveAsync(async c => await Mutations.RunAsync(async () =>
            {
                var input = c.GetArgument<TierArgs>("input");
                var db = c.Db();
                var id = ResolveContextExtensions.ParseGlobalId(input.TierId, TierType.TypeName, "tierId");
                var current = await TierQueries.GetAsync(db, id, c.CancellationToken);
                return new TierResult(await TierOperations.UpdateAsync(db, c.Clock(), id, input.ToDefinition(current), c.CancellationToken), []);
            }, errors => new TierResult(null, errors)));

        mutation.Field<NonNullGraphType<DeleteTierPayloadType>>("deleteTier")
            .Description("Deletes a tier nobody holds (admin).")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<DeleteTierInputType>>("input", "The tier.")
            .ResolveAsync(async c => await Mutations.RunAsync(async () =>
            {
                var id = ResolveContextExtensions.ParseGlobalId(c.GetArgument<DeleteTierArgs>("input").TierId, TierType.TypeName, "tierId");
                return new DeleteTierResult(await TierOperations.DeleteAsync(c.Db(), c.Clock(), id, c.CancellationToken), []);
            }, errors => new DeleteTierResult(null, errors)));
    }
}
