using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.GraphQL.DataLoading;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Segments;

public sealed class SegmentType : EnumerationGraphType
{
    public SegmentType()
    {
        Name = "Segment";
        Description = "Insights segment from purchase recency and frequency (thresholds: `segmentRules`).";
        Add("LOYAL", Segment.Loyal, "Bought recently, and often enough in the loyal window.");
        Add("AT_RISK", Segment.AtRisk, "No purchase for the At Risk period.");
        Add("WIN_BACK", Segment.WinBack, "No purchase for the (longer) Win Back period.");
    }
}

public sealed class SegmentRulesType : ObjectGraphType<SegmentSettings>
{
    public SegmentRulesType()
    {
        Name = "SegmentRules";
        Description = "The program's segment thresholds. A member without purchases, or a recent buyer below the loyal count, has no segment.";
        Field<NonNullGraphType<IntGraphType>>("loyalMinPurchases").Description("Purchases within the loyal window that make a recent buyer Loyal.").Resolve(c => c.Source.LoyalMinPurchases);
        Field<NonNullGraphType<IntGraphType>>("loyalWindowDays").Description("Days back that count toward Loyal.").Resolve(c => c.Source.LoyalWindowDays);
        Field<NonNullGraphType<IntGraphType>>("atRiskAfterDays").Description("Days without a purchase after which a member is At Risk.").Resolve(c => c.Source.AtRiskAfterDays);
        Field<NonNullGraphType<IntGraphType>>("winBackAfterDays").Description("Days without a purchase after which a member is Win Back (more than atRiskAfterDays).").Resolve(c => c.Source.WinBackAfterDays);
    }
}

public sealed class SegmentRulesArgs
{
    public int? LoyalMinPurchases { get; set; }
    public int? LoyalWindowDays { get; set; }
    public int? AtRiskAfterDays { get; set; }
    public int? WinBackAfterDays { get; set; }

    public SegmentSettings ApplyTo(SegmentSettings s) => new(
        LoyalMinPurchases ?? s.LoyalMinPurchases, LoyalWindowDays ?? s.LoyalWindowDays, AtRiskAfterDays ?? s.AtRiskAfterDays, WinBackAfterDays ?? s.WinBackAfterDays);
}

public sealed class SegmentRulesInputType : InputObjectGraphType<SegmentRulesArgs>
{
    public SegmentRulesInputType()
    {
        Name = "SegmentRulesInput";
        Description = "Changes to the segment thresholds; a field left out keeps its value.";
        Field<IntGraphType>("loyalMinPurchases").Description("1 to 1,000.");
        Field<IntGraphType>("loyalWindowDays").Description("1 to 3,650.");
        Field<IntGraphType>("atRiskAfterDays").Description("1 to 3,650.");
        Field<IntGraphType>("winBackAfterDays").Description("More than atRiskAfterDays, at most 3,650.");
    }
}

public sealed record UpdateSegmentRulesResult(SegmentSettings? SegmentRules, IReadOnlyList<UserError> UserErrors);

public sealed class UpdateSegmentRulesPayloadType : ObjectGraphType<UpdateSegmentRulesResult>
{
    public UpdateSegmentRulesPayloadType()
    {
        Name = "UpdateSegmentRulesPayload";
        Description = "Result of updateSegmentRules.";
        Field<SegmentRulesType>("segmentRules").Description("The thresholds now in force; null when refused.").Resolve(c => c.Source.SegmentRules);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public static class SegmentFields
{
    public static void AddQueries(ObjectGraphType query) =>
        query.Field<NonNullGraphType<SegmentRulesType>>("segmentRules")
            .Description("The program's segment thresholds (admin, partner, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Partner, Roles.Service)
            .ResolveAsync(async c => await SegmentOperations.GetSettingsAsync(c.Db(), c.CancellationToken));

    public static void AddMutations(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<UpdateSegmentRulesPayloadType>>("updateSegmentRules")
            .Description("Changes the segment thresholds (admin); `Member.segment` follows at once (computed when read), the `segments` job records and announces the moves on its next run.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<SegmentRulesInputType>>("input", "The changes.")
            .ResolveAsync(async c => await Mutations.RunAsync(async () =>
            {
                var db = c.Db();
                var current = await SegmentOperations.GetSettingsAsync(db, c.CancellationToken);
                return new UpdateSegmentRulesResult(await SegmentOperations.UpdateSettingsAsync(db, c.Clock(), c.GetArgument<SegmentRulesArgs>("input").ApplyTo(current), c.CancellationToken), []);
            }, errors => new UpdateSegmentRulesResult(null, errors)));

    /// <summary>The member's segment, batched: one pair of grouped queries for every member of a page.</summary>
    public static IDataLoaderResult<Segment?> LoadSegment(IResolveFieldContext context, Guid memberId) =>
        context.BatchLoader<Guid, Segment?>("Member.segment", async (ids, ct) =>
            await SegmentOperations.SegmentsAsync(context.Db(), context.Clock(), ids, ct)).LoadAsync(memberId);

    /// <summary>
    /// When the <c>segments</c> job recorded the member entering the segment they are in now, batched: the recorded row
    /// counts only while it agrees with <see cref="LoadSegment"/> (computed now), so the pair never contradicts itself;
    /// between a move and the run that records it, the answer is null.
    /// </summary>
    public static IDataLoaderResult<DateTimeOffset?> LoadSegmentSince(IResolveFieldContext context, Guid memberId)
    {
        // Both queued before either is awaited, so a page of members costs one batch of each.
        var current = LoadSegment(context, memberId);
        var recorded = context.BatchLoader<Guid, MemberSegment>("Member.recordedSegment", async (ids, ct) =>
            await context.Db().MemberSegments.AsNoTracking().Where(s => ids.Contains(s.MemberId)).ToDictionaryAsync(s => s.MemberId, ct)).LoadAsync(memberId);
        return current.Then(async (segment, ct) =>
            segment is not null && await recorded.GetResultAsync(ct) is { } row && row.Segment == segment ? row.Since : (DateTimeOffset?)null);
    }
}
