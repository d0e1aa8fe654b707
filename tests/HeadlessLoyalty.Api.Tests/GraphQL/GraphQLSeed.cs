using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.Api.Tiers;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>Seeds data through the domain operations (not through GraphQL), so the GraphQL tests read real rows.</summary>
public static class GraphQLSeed
{
    public static string NewSlug(string prefix = "g") => $"{prefix}-{Guid.NewGuid():N}"[..14];

    public static string MemberId(Guid id) => GlobalId.Encode("Member", id.ToString());
    public static string EntryId(Guid id) => GlobalId.Encode("LedgerEntry", id.ToString());
    public static string TierId(Guid id) => GlobalId.Encode("Tier", id.ToString());
    public static string PurchaseId(Guid id) => GlobalId.Encode("Purchase", id.ToString());
    public static string RewardId(Guid id) => GlobalId.Encode("Reward", id.ToString());
    public static string AwardId(Guid id) => GlobalId.Encode("ActivityAward", id.ToString());
    public static string WebhookId(Guid id) => GlobalId.Encode("WebhookSubscription", id.ToString());
    public static string StoreId(Guid id) => GlobalId.Encode("StoreConnection", id.ToString());

    public static Task<MemberView> EnrollAsync(this LoyaltyApiFactory app, string slug, string email, string? firstName = null, string? lastName = null) =>
        app.WithTenantAsync(slug, async db =>
            (await MemberOperations.EnrollAsync(db, app.Clock, "test:seed", new EnrollMemberInput(email, firstName, lastName))).Member);

    public static Task<PointsChangePayload> AdjustAsync(this LoyaltyApiFactory app, string slug, Guid memberId, long points, string reason = "seed") =>
        app.WithTenantAsync(slug, db =>
            PointsOperations.AdjustAsync(db, app.Clock, "test:seed", new AdjustPointsInput(memberId, points, reason), $"seed-{Guid.NewGuid():N}"));

    public static Task<PointsChangePayload> PostAsync(this LoyaltyApiFactory app, string slug, PostPointsInput input) =>
        app.WithTenantAsync(slug, db => PointsOperations.PostAsync(db, app.Clock, "test:seed", input));

    /// <summary>Adds tiers (name, threshold) with ranks 0, 1, 2... in the given order.</summary>
    public static Task<IReadOnlyList<Tier>> AddTiersAsync(this LoyaltyApiFactory app, string slug, params (string Name, long Threshold)[] tiers) =>
        app.WithTenantAsync<IReadOnlyList<Tier>>(slug, async db =>
        {
            var added = tiers.Select((t, rank) => new Tier { Id = Guid.NewGuid(), Name = t.Name, Rank = rank, Threshold = t.Threshold }).ToList();
            db.Tiers.AddRange(added);
            await db.SaveChangesAsync();
            return added;
        });
}
