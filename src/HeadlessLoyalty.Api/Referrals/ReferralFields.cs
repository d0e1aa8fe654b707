using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.GraphQL.DataLoading;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Referrals;

public static class ReferralFields
{
    public static void AddQueries(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ReferralSettingsType>>("referralSettings")
            .Description("The program's referral settings (admin, partner, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Partner, Roles.Service)
            .ResolveAsync(async c => await ReferralOperations.GetSettingsAsync(c.Db(), c.CancellationToken));

    public static void AddMutations(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<UpdateReferralSettingsPayloadType>>("updateReferralSettings")
            .Description("Changes the referral settings (admin); they apply to purchases approved from now on.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<ReferralSettingsInputType>>("input", "The changes.")
            .ResolveAsync(async c => await Mutations.RunAsync(async () =>
            {
                var db = c.Db();
                var current = await ReferralOperations.GetSettingsAsync(db, c.CancellationToken);
                var changed = c.GetArgument<ReferralSettingsArgs>("input").ApplyTo(current);
                return new UpdateReferralSettingsResult(await ReferralOperations.UpdateSettingsAsync(db, c.Clock(), changed, c.CancellationToken), []);
            }, errors => new UpdateReferralSettingsResult(null, errors)));

    /// <summary>The member's referral fields; each is batched, so a page of members costs a fixed number of queries.</summary>
    public static void AddMemberFields(ObjectGraphType<MemberView> member)
    {
        member.Field<StringGraphType>("referralCode")
            .Description("The member's code to share with friends (they enroll with it); unique in the program. Null only for a member that existed before referrals, until the migrator (`migrate`, or a start-up migration) gives it one.")
            .Resolve(c => LoadReferral(c, c.Source.Id).Then(r => r?.Code));
        member.Field<StringGraphType>("referralUrl")
            .Description("The member's share link: the program's referral base URL followed by the code; null without a base URL.")
            .Resolve(c =>
            {
                var baseUrl = LoadBaseUrl(c);
                return LoadReferral(c, c.Source.Id).Then(async (r, ct) => ReferralRules.ReferralUrl(await baseUrl.GetResultAsync(ct), r?.Code));
            });
        member.Field<MemberType>("referredBy")
            .Description("The member whose code this member enrolled with; null when not referred, and for a storefront token (it reads its own member only).")
            .Resolve(c => LoadReferral(c, c.Source.Id).Then(r => r?.ReferrerId is { } id && MayRead(c, id) ? LoadMember(c, id) : null));
        member.Field<ReferralStatusType>("referralStatus")
            .Description("As a referred friend: whether the first qualifying purchase has rewarded the referral yet; null when not referred.")
            .Resolve(c => LoadReferral(c, c.Source.Id).Then(r => r?.Status));
        member.Field<NonNullGraphType<IntGraphType>>("referralsCount")
            .Description("Friends who enrolled with the member's code.")
            .Resolve(c => LoadCounts(c, c.Source.Id).Then(x => x.Referred));
        member.Field<NonNullGraphType<IntGraphType>>("referralsRewarded")
            .Description("Of those, friends whose first qualifying purchase rewarded the referral.")
            .Resolve(c => LoadCounts(c, c.Source.Id).Then(x => x.Rewarded));
    }

    /// <summary>Storefront tokens read their own member only (as through <c>node</c>); every other role reads the program.</summary>
    private static bool MayRead(IResolveFieldContext context, Guid memberId) =>
        context.Caller() is var caller && (caller.Roles.Any(r => r != Roles.Storefront) || caller.MemberId == memberId);

    private static IDataLoaderResult<MemberReferral?> LoadReferral(IResolveFieldContext context, Guid memberId) =>
        context.BatchLoader<Guid, MemberReferral?>("Member.referral", async (ids, ct) =>
            (await ReferralOperations.OfMembersAsync(context.Db(), ids, ct)).ToDictionary(x => x.Key, x => (MemberReferral?)x.Value)).LoadAsync(memberId);

    private static IDataLoaderResult<(int Referred, int Rewarded)> LoadCounts(IResolveFieldContext context, Guid memberId) =>
        context.BatchLoader<Guid, (int Referred, int Rewarded)>("Member.referralCounts", async (ids, ct) =>
            await ReferralOperations.CountsAsync(context.Db(), ids, ct)).LoadAsync(memberId);

    // One key: the program's base URL, read once per request.
    private static IDataLoaderResult<string?> LoadBaseUrl(IResolveFieldContext context) =>
        context.BatchLoader<int, string?>("Program.referralBaseUrl", async (keys, ct) =>
        {
            var url = (await ReferralOperations.GetSettingsAsync(context.Db(), ct)).BaseUrl;
            return keys.ToDictionary(k => k, _ => url);
        }).LoadAsync(0);

    // Referrers of a page of friends, in one query (a chained load: the executor runs it after the referral batch).
    private static IDataLoaderResult<MemberView?> LoadMember(IResolveFieldContext context, Guid memberId) =>
        context.BatchLoader<Guid, MemberView?>("Member.byId", async (ids, ct) =>
            await context.Db().Members.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => (MemberView?)MemberView.Of(m), ct)).LoadAsync(memberId);
}
