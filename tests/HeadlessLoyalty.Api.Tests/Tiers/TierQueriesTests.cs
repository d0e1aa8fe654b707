using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.TestSupport;
using HeadlessLoyalty.Api.Tiers;

namespace HeadlessLoyalty.Api.Tests.Tiers;

public sealed class TierQueriesTests
{
    private readonly FixedClock _clock = new();

    [Theory, SqliteData, PostgresData]
    public async Task A_members_standing_follows_their_lifetime_points_within_their_program(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.ContextA();
        var id = (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput("ann@example.com"))).Member.Id;
        ctx.Tiers.AddRange(
            new Tier { Id = Guid.NewGuid(), Name = "Bronze", Rank = 0, Threshold = 0 },
            new Tier { Id = Guid.NewGuid(), Name = "Silver", Rank = 1, Threshold = 100 });
        await ctx.SaveChangesAsync();
        await using (var b = db.ContextB())
        {
            b.Tiers.Add(new Tier { Id = Guid.NewGuid(), Name = "B-only", Rank = 0, Threshold = 50 });
            await b.SaveChangesAsync();
        }

        var before = await TierQueries.StandingAsync(ctx, id);
        Assert.Equal(("Bronze", "Silver", (long?)100), (before.Current?.Name, before.Next?.Name, before.PointsToNext));

        await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, 120, "r"), "k");
        await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, -120, "spent does not demote"), "k2");
        var after = await TierQueries.StandingAsync(ctx, id);
        Assert.Equal(("Silver", (string?)null), (after.Current?.Name, after.Next?.Name));

        Assert.Equal(["Bronze", "Silver"], TierQueries.All(ctx).Select(t => t.Name).ToList());
        await Assert.ThrowsAsync<TierNotFoundException>(() => TierQueries.GetAsync(ctx, Guid.NewGuid()));
    }
}
