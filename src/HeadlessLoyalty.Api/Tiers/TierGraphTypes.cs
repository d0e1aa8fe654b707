using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.GraphQL.DataLoading;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tiers;

public sealed class TierType : ObjectGraphType<Tier>
{
    public const string TypeName = "Tier";

    public TierType()
    {
        Name = TypeName;
        Description = "A tier of the program. A member holds the highest tier whose threshold their lifetime points reach.";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is Tier;
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the tier.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id.ToString()));
        Field(t => t.Name).Description("Display name, e.g. Gold.");
        Field(t => t.Rank).Description("Position: 0 for the entry tier, increasing upward.");
        Field<NonNullGraphType<LongGraphType>>("threshold").Description("Lifetime points needed to hold the tier.").Resolve(c => c.Source.Threshold);
        Field<NonNullGraphType<DecimalGraphType>>("earningMultiplier").Description("Multiplier applied to points earned while in the tier.").Resolve(c => c.Source.EarningMultiplier);
        Field(t => t.Description, nullable: true).Description("The tier's benefits, for display.");
    }
}

/// <summary>Where a member stands, with the lifetime points it was computed from.</summary>
public sealed record MemberTierView(TierStanding Standing, double Progress);

public sealed class MemberTierType : ObjectGraphType<MemberTierView>
{
    public MemberTierType()
    {
        Name = "MemberTier";
        Description = "A member's tier standing, derived from lifetime points.";
        Field<TierType>("current").Description("The tier held; null below every threshold or when the program has no tiers.").Resolve(c => c.Source.Standing.Current);
        Field<TierType>("nextTier").Description("The next tier up; null at the top.").Resolve(c => c.Source.Standing.Next);
        Field<LongGraphType>("pointsToNextTier").Description("Lifetime points still needed for the next tier; null at the top.").Resolve(c => c.Source.Standing.PointsToNext);
        Field<NonNullGraphType<FloatGraphType>>("progress").Description("0 to 1 from the current tier's threshold to the next tier's; 1 at the top.").Resolve(c => c.Source.Progress);
    }
}

public static class TierFields
{
    /// <summary>The program's tiers, lowest first, read once per request whatever the number of members asking.</summary>
    public static IDataLoaderResult<IReadOnlyList<Tier>> LoadTiers(IResolveFieldContext context) =>
        context.BatchLoader<bool, IReadOnlyList<Tier>>("Program.tiers", async (_, ct) =>
                new Dictionary<bool, IReadOnlyList<Tier>> { [true] = await TierQueries.All(context.Db()).ToListAsync(ct) })
            .LoadAsync(true)
            .Then(tiers => tiers ?? []);

    /// <summary>Balance and tiers come from their batch loaders: a list of members costs two queries, not two per member.</summary>
    public static IDataLoaderResult<MemberTierView> LoadStanding(IResolveFieldContext context, Guid memberId)
    {
        var tiers = LoadTiers(context);
        return PointsFields.LoadBalance(context, memberId).Then(async (balance, ct) =>
        {
            var standing = TierRules.Evaluate(await tiers.GetResultAsync(ct), balance.Lifetime);
            return new MemberTierView(standing, TierRules.Progress(standing, balance.Lifetime));
        });
    }

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TierType>>>>("tiers")
            .Description("The program's tiers, lowest first (every role).")
            .AuthorizeWithRoles(Roles.All.ToArray())
            .Resolve(c => LoadTiers(c));
    }
}
